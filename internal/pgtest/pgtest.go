// Package pgtest starts a real PostgreSQL server for tests: the tests of
// glossiwebhook/pgdedup and of the example receiver run against one, never
// against a mock. It is the sibling of internal/redistest.
//
// A package's tests share one server, started by the first NewDatabase and
// stopped by Main, and each test gets a database of its own; a test that
// stops or restarts its server starts one of its own with Start.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// DB is a database for one test.
type DB struct {
	DSN string // postgres://postgres@127.0.0.1:port/name?sslmode=disable
}

// Server is a PostgreSQL cluster made by initdb in a temporary folder,
// listening on a free loopback port with trust authentication. It trades
// durability for speed (fsync off), as the Redis of the redisdedup tests
// runs without persistence, and loads pg_stat_statements.
type Server struct {
	DB     // the database postgres
	Port   int
	dir    string
	bin    string
	cred   *syscall.Credential // nil: run as this user
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
}

// Start makes a server for the test alone; it is stopped and removed when
// the test ends. A missing PostgreSQL fails the test: these tests need the
// real one.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if s != nil {
		t.Cleanup(s.remove)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var shared struct {
	running atomic.Bool // Main is running the tests
	once    sync.Once
	server  *Server
	err     error
	dbs     atomic.Int64
}

// Main runs the tests of a package that calls NewDatabase, then stops the
// server they shared. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	shared.running.Store(true)
	code := m.Run()
	if shared.server != nil {
		shared.server.remove()
	}
	os.Exit(code)
}

// NewDatabase returns a new database on the server the package's tests
// share, started by the first call.
func NewDatabase(t testing.TB) DB {
	t.Helper()
	if !shared.running.Load() {
		t.Fatal("pgtest.NewDatabase needs the package's TestMain to call pgtest.Main, which stops the shared server")
	}
	shared.once.Do(func() { shared.server, shared.err = start() })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	name := fmt.Sprintf("test%d", shared.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, shared.server.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return DB{DSN: strings.Replace(shared.server.DSN, "/postgres?", "/"+name+"?", 1)}
}

// Pool returns a connection pool to the database, closed when the test
// ends. extra is added to the DSN's query, such as "pool_max_conns=8".
func (db DB) Pool(t testing.TB, extra ...string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), strings.Join(append([]string{db.DSN}, extra...), "&"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closePool(t, pool) })
	return pool
}

// closePool closes pool, which waits for every connection to be released:
// a test that left one acquired (a claim never released) fails, not hangs.
func closePool(t testing.TB, pool *pgxpool.Pool) {
	closed := make(chan struct{})
	go func() { pool.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Errorf("pgtest: %d connections still acquired 10s after the test ended: release every claim and transaction the test took",
			pool.Stat().AcquiredConns())
	}
}

// start makes a cluster and starts it. As root (CI), initdb and postgres run
// as the user postgres (made by Debian's package), or nobody: PostgreSQL
// refuses to run as root.
func start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if s.cred, err = unprivileged(); err != nil {
		return nil, err
	}
	if s.dir, err = s.makeDir(); err != nil {
		return nil, err
	}
	if err := s.initdb(); err != nil {
		return s, err
	}
	return s, s.startOnFreePort()
}

// binDir finds the folder of initdb and postgres: on PATH, else Debian's
// /usr/lib/postgresql/VERSION/bin, the newest version.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(found, func(a, b string) int { return version(a) - version(b) })
	if len(found) == 0 {
		return "", errors.New("PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); these tests run a real server. " +
			"Install it (Debian/Ubuntu: apt-get update && apt-get install -y postgresql; macOS: brew install postgresql) and run them again")
	}
	return filepath.Dir(found[len(found)-1]), nil
}

// version is the major version in /usr/lib/postgresql/VERSION/bin/initdb.
func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// unprivileged returns the credential to run PostgreSQL with when this
// process is root, or nil.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, fmt.Errorf("running as root, which PostgreSQL refuses, and no user postgres or nobody to run it as: %w", errors.Join(errs...))
}

// makeDir makes the cluster's folder, owned by the user PostgreSQL runs as.
// It is not under t.TempDir, whose parent only root may enter.
func (s *Server) makeDir() (string, error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return "", err
	}
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// command runs a PostgreSQL program as the unprivileged user; if this
// process dies, the program gets SIGINT (for postgres, a fast shutdown).
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGINT}
	return cmd
}

func (s *Server) initdb() error {
	out, err := s.command("initdb", "--no-sync", "--auth=trust", "--username=postgres", "--encoding=UTF8",
		"--no-instructions", "-D", s.data()).CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }
func (s *Server) log() string  { return filepath.Join(s.dir, "postgres.log") }

// Restart starts the server again after Stop, on the same port: the DSN
// stays valid, and the data is kept.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.run(s.Port); err != nil {
		t.Fatal(err)
	}
}

func (s *Server) startOnFreePort() error { return testhelp.OnFreePort(s.run) }

func (s *Server) run(port int) error {
	logFile, err := os.OpenFile(s.log(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := s.command("postgres", "-D", s.data(),
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+strconv.Itoa(port), "-c", "unix_socket_directories=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=300", "-c", "shared_preload_libraries=pg_stat_statements")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.cmd, s.exited, s.Port = cmd, exited, port
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := s.waitReady(); err != nil {
		logged, _ := os.ReadFile(s.log())
		return fmt.Errorf("%w\npostgres's log:\n%s", err, logged)
	}
	return nil
}

// waitReady waits until the server accepts a connection, or exits.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, s.DSN)
		cancel()
		if err == nil {
			return conn.Close(context.Background())
		}
		select {
		case <-s.exited:
			s.cmd = nil
			return fmt.Errorf("postgres exited before accepting connections: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("postgres on port %d not ready after a minute: %w", s.Port, err)
		}
	}
}

// Stop shuts the server down (fast shutdown: open transactions are rolled
// back, as in a restart) and waits for it; calling it again does nothing.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// remove stops the server and removes its folder.
func (s *Server) remove() {
	s.Stop()
	_ = os.RemoveAll(s.dir)
}

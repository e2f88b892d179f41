// Package redistest starts a real redis-server for a test: the tests of
// glossiwebhook/redisdedup and of the example receiver run against one, never
// against a mock.
package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// Server is a real redis-server started for one test on a free loopback
// port, without persistence.
type Server struct {
	Addr   string // host:port on 127.0.0.1
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has ended
}

// Start starts a redis-server and stops it when the test ends. A missing
// redis-server fails the test: these tests need the real one.
//
// The port is free when Start picks it, but another process may bind it
// before redis-server does (the tests of other packages start servers all
// the time): that redis-server then exits, and Start tries another port.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed; these tests run a real one. Install it (Debian/Ubuntu: apt-get update && apt-get install -y redis-server; macOS: brew install redis) and run them again: %v", err)
	}
	var s *Server
	err = testhelp.OnFreePort(func(port int) error {
		var startErr error
		s, startErr = start(t, bin, port)
		return startErr
	})
	if err != nil {
		t.Fatalf("%v, on three free ports in a row", err)
	}
	return s
}

// start starts redis-server on port and returns it once it answers, or an
// error if it exited first.
func start(t testing.TB, bin string, port int) (*Server, error) {
	t.Helper()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), cmd: cmd, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.Stop)
	if !s.waitReady(t) {
		return nil, fmt.Errorf("redis-server exited before answering on port %d", port)
	}
	return s, nil
}

// waitReady waits until this process answers on s.Addr (not another
// redis-server that took the port), and reports false if it exited first.
func (s *Server) waitReady(t testing.TB) bool {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer rdb.Close()
	ours := "\r\nprocess_id:" + strconv.Itoa(s.cmd.Process.Pid) + "\r\n"
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := rdb.Info(context.Background(), "server").Result()
		if err == nil && strings.Contains(info, ours) {
			return true
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s not ready after 10s: %v", s.Addr, err)
		}
		select {
		case <-s.exited:
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop kills the server and waits for it; calling it again does nothing.
func (s *Server) Stop() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Client returns a client of the server, closed when the test ends. Its
// timeouts are far above what a loopback answer takes on a loaded machine; a
// stopped server refuses connections at once.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, DialTimeout: 10 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxRetries: 1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

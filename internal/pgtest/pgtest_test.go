package pgtest_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The server answers, runs as a user that is not root (initdb and postgres
// refuse root), loads pg_stat_statements, and keeps its data across a
// restart on the same port.
func TestStart(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	pool := srv.Pool(t)
	var dir, libs string
	if err := pool.QueryRow(ctx, `SELECT current_setting('data_directory'), current_setting('shared_preload_libraries')`).Scan(&dir, &libs); err != nil {
		t.Fatal(err)
	}
	if libs != "pg_stat_statements" {
		t.Errorf("shared_preload_libraries = %q", libs)
	}
	fi, err := os.Stat(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Uid == 0 {
		t.Errorf("the server's files belong to root: %+v", fi.Sys())
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	dsn := srv.DSN
	srv.Stop()
	srv.Restart(t)
	var n int
	if err := srv.Pool(t).QueryRow(ctx, `SELECT n FROM kept`).Scan(&n); err != nil || n != 1 || srv.DSN != dsn {
		t.Fatalf("after a restart: %d, %v; DSN %s, was %s", n, err, srv.DSN, dsn)
	}
}

// Each NewDatabase is a database of its own on one shared server.
func TestNewDatabase(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	if _, err := a.Pool(t).Exec(ctx, `CREATE TABLE only_in_a (n int)`); err != nil {
		t.Fatal(err)
	}
	var found bool
	if err := b.Pool(t).QueryRow(ctx, `SELECT to_regclass('only_in_a') IS NOT NULL`).Scan(&found); err != nil || found {
		t.Fatalf("a table of database a is in database b: %t, %v", found, err)
	}
}

package pgdedup_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
)

// start returns a new database on the shared PostgreSQL server, with a pool
// and a migrated Deduper on DefaultTable, and a business table orders
// (delivery text) for handlers to write.
func TestMain(m *testing.M) { pgtest.Main(m) }

func start(t *testing.T) (pgtest.DB, *pgxpool.Pool, *pgdedup.Deduper) {
	t.Helper()
	db := pgtest.NewDatabase(t)
	pool := db.Pool(t)
	d := pgdedup.New(pool, "")
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(context.Background(), `CREATE TABLE orders (delivery text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db, pool, d
}

// claim calls d.Claim and fails the test unless it answers want.
func claim(t *testing.T, d glossiwebhook.Deduper, key string, want glossiwebhook.ClaimStatus) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a claim that waited for a lock fails here
	defer cancel()
	got, token, err := d.Claim(ctx, key, time.Minute)
	if err != nil || got != want || (token != "") != (want == glossiwebhook.Claimed) {
		t.Fatalf("Claim(%q) = %v, token set %t, %v; want %v", key, got, token != "", err, want)
	}
	return token
}

// count returns the rows of the business table orders for delivery.
func count(t *testing.T, pool *pgxpool.Pool, delivery string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM orders WHERE delivery = $1`, delivery).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// writeOrder inserts a row of orders for delivery through the claim's
// transaction, as a handler does.
func writeOrder(t *testing.T, d *pgdedup.Deduper, key, token string) {
	t.Helper()
	ctx := d.HandlerContext(context.Background(), key, token)
	tx, ok := pgdedup.TxFromContext(ctx)
	if !ok {
		t.Fatalf("no transaction in the handler's context for %s", key)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO orders VALUES ($1)`, key); err != nil {
		t.Fatal(err)
	}
}

// expiresIn returns how long the row of key has left.
func expiresIn(t *testing.T, pool *pgxpool.Pool, key string) time.Duration {
	t.Helper()
	var left float64
	err := pool.QueryRow(context.Background(),
		`SELECT extract(epoch FROM expires_at - now()) FROM `+pgdedup.DefaultTable+` WHERE dedup_key = $1`, key).Scan(&left)
	if err != nil {
		t.Fatal(fmt.Errorf("row of %s: %w", key, err))
	}
	return time.Duration(left * float64(time.Second))
}

package pgdedup_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// BenchmarkDelivery is what Deduplicate asks of PostgreSQL for one new
// delivery handled with success, one after another: Claim, then Done.
// Besides the client's ns/op it reports the server's own view from
// pg_stat_statements: statements and execution time (usec) per delivery.
func BenchmarkDelivery(b *testing.B) {
	pool := benchPool(b, pgtest.NewDatabase(b), nil)
	d := pgdedup.New(pool, "")
	ctx := context.Background()
	if err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	resetStatements(b, pool)
	n := 0
	for b.Loop() {
		n++
		key := strconv.Itoa(n)
		status, token, err := d.Claim(ctx, key, time.Minute)
		if err != nil || status != glossiwebhook.Claimed {
			b.Fatalf("claim %s: %v, %v", key, status, err)
		}
		if err := d.Done(ctx, key, token, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	reportStatements(b, pool, n)
}

// BenchmarkReplicas is deliveries through 1 and 3 replicas on one database,
// each with its own pool, testhelp.WorkersPerReplica deliveries at once
// (compare with redisdedup's BenchmarkReplicas).
func BenchmarkReplicas(b *testing.B) {
	db := pgtest.NewDatabase(b)
	admin := db.Pool(b)
	if err := pgdedup.New(admin, "").Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, replicas := range []int{1, 3} {
		b.Run(fmt.Sprintf("replicas=%d", replicas), func(b *testing.B) {
			var rt testhelp.RoundTrips
			testhelp.BenchReplicas(b, replicas, &rt, func(int) glossiwebhook.Deduper {
				return pgdedup.New(benchPool(b, db, &rt), "")
			}, func() { resetStatements(b, admin) })
			reportStatements(b, admin, b.N)
		})
	}
}

// benchPool returns a pool of the database big enough for the workers of a
// replica, dialling through rt when not nil.
func benchPool(b *testing.B, db pgtest.DB, rt *testhelp.RoundTrips) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = testhelp.WorkersPerReplica
	if rt != nil {
		cfg.ConnConfig.DialFunc = rt.Dial
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

func resetStatements(b *testing.B, pool *pgxpool.Pool) {
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `SELECT pg_stat_statements_reset()`); err != nil {
		b.Fatal(err)
	}
}

// reportStatements reports the statements and their execution time per
// delivery, from pg_stat_statements, for the database of pool (its own
// queries of the view left out).
func reportStatements(b *testing.B, pool *pgxpool.Pool, deliveries int) {
	var calls int64
	var ms float64
	err := pool.QueryRow(context.Background(), `SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0)
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND query NOT LIKE '%pg_stat_statements%'`).Scan(&calls, &ms)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(calls)/float64(deliveries), "statements/delivery")
	b.ReportMetric(ms*1000/float64(deliveries), "server-usec/delivery")
}

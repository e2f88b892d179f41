// Package pgdedup is a glossiwebhook.TxDeduper on PostgreSQL: the handler of
// a delivery writes through the transaction that claims it, so that its work
// and the "done" mark commit together or not at all, on one replica or many.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	d := pgdedup.New(pool, "")
//	err = d.Migrate(ctx) // once, at start-up or in your migrations (Schema)
//	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		tx, _ := pgdedup.TxFromContext(r.Context())
//		_, err := tx.Exec(r.Context(), "INSERT INTO orders ...")
//		...
//	})
//	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(d, handle)))
//
// # The claim is a row lock
//
// Each delivery is a row of the table, keyed by Event.DedupKey. Claim makes
// sure the row exists (INSERT ... ON CONFLICT DO NOTHING, committed at once),
// then begins a transaction and locks it with SELECT ... FOR UPDATE NOWAIT,
// in one round trip. A copy that arrives while the row is locked fails to
// lock it at once (InProgress: Deduplicate answers 409, and Glossi retries
// later); it never waits. Done marks the row done until the TTL ends and
// commits, with whatever the handler wrote through the transaction; Release
// rolls back. A delivery costs four round trips: the insert, the begin and
// lock, the done mark and the commit.
//
// No lease can expire while the handler runs: the claim lasts as long as its
// transaction. When the process is killed or its connection drops,
// PostgreSQL rolls the transaction back, the handler's writes with it, and
// the next copy of the delivery is handled. A handler that hangs holds its
// delivery until it returns: bound it (a context deadline, or the role's
// idle_in_transaction_session_timeout). Each delivery being handled holds a
// pooled connection for as long as its handler runs, so size the pool
// (pool_max_conns) for the deliveries handled at once.
//
// # Schema and expiry
//
// The table is created by Migrate, never implicitly; Schema returns the SQL it
// runs, for a migration tool. DeleteExpired deletes expired rows in batches
// of a bounded size, skipping the rows that claims hold: call it every minute
// or so. Rows are deleted rather than partitions dropped because the claim
// needs one row per delivery under one primary key, which a partitioned
// table can only enforce with the partition key inside that key.
package pgdedup

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// DefaultTable is the table New uses when given "".
const DefaultTable = "glossiwebhook_deliveries"

// pendingFor is how long a row that was claimed but never marked done is
// kept: it holds no state, only the row a claim locks.
const pendingFor = "1 hour"

// Deduper is a glossiwebhook.TxDeduper on PostgreSQL. Make it with New; it is
// safe for concurrent use.
type Deduper struct {
	pool *pgxpool.Pool
	sql  statements

	mu     sync.Mutex
	claims map[string]pgx.Tx // the transactions of the claims this Deduper holds, by token
}

var _ glossiwebhook.TxDeduper = (*Deduper)(nil)

// New returns a Deduper that keeps its claims in table (DefaultTable if "";
// "schema.table" names a schema) of the database of pool. Replicas that
// share deliveries must use the same database and table. Create the table
// with Migrate first.
func New(pool *pgxpool.Pool, table string) *Deduper {
	if table == "" {
		table = DefaultTable
	}
	return &Deduper{pool: pool, sql: newStatements(table), claims: make(map[string]pgx.Tx)}
}

// statements are the SQL of a Deduper, for its table.
type statements struct {
	schema, insert, lock, done, deleteExpired string
}

func newStatements(table string) statements {
	parts := strings.Split(table, ".")
	t := pgx.Identifier(parts).Sanitize()
	index := pgx.Identifier{parts[len(parts)-1] + "_expires_at"}.Sanitize()
	return statements{
		schema: `CREATE TABLE IF NOT EXISTS ` + t + ` (
  dedup_key  text PRIMARY KEY,
  done       boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ` + index + ` ON ` + t + ` (expires_at);
`,
		insert: `INSERT INTO ` + t + ` (dedup_key, expires_at) VALUES ($1, now() + interval '` + pendingFor + `')
ON CONFLICT (dedup_key) DO NOTHING`,
		lock: `SELECT done AND expires_at > now() FROM ` + t + ` WHERE dedup_key = $1 FOR UPDATE NOWAIT`,
		done: `UPDATE ` + t + ` SET done = true, expires_at = statement_timestamp() + $2::interval WHERE dedup_key = $1`,
		deleteExpired: `DELETE FROM ` + t + ` WHERE dedup_key IN (
  SELECT dedup_key FROM ` + t + ` WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
	}
}

// Schema returns the SQL that Migrate runs: the table and its index, created
// if they do not exist.
func (d *Deduper) Schema() string { return d.sql.schema }

// Migrate creates the table and its index if they do not exist.
func (d *Deduper) Migrate(ctx context.Context) error {
	if _, err := d.pool.Exec(ctx, d.sql.schema); err != nil {
		return fmt.Errorf("pgdedup: migrate: %w", err)
	}
	return nil
}

// errRowGone is a row deleted by DeleteExpired between Claim's insert and
// its lock.
var errRowGone = errors.New("pgdedup: the delivery's row was deleted before it could be locked")

// Claim takes the delivery key by locking its row in a new transaction,
// which the claim holds until Done or Release. lease is not used: the claim
// lasts as long as its transaction.
func (d *Deduper) Claim(ctx context.Context, key string, _ time.Duration) (glossiwebhook.ClaimStatus, string, error) {
	err := errRowGone
	for range 3 {
		if _, err = d.pool.Exec(ctx, d.sql.insert, key); err != nil {
			return 0, "", fmt.Errorf("pgdedup: claim: %w", err)
		}
		var status glossiwebhook.ClaimStatus
		var tx pgx.Tx
		status, tx, err = d.lock(ctx, key)
		if errors.Is(err, errRowGone) {
			continue
		}
		if err != nil || status != glossiwebhook.Claimed {
			return status, "", err
		}
		token := rand.Text()
		d.mu.Lock()
		d.claims[token] = tx
		d.mu.Unlock()
		return glossiwebhook.Claimed, token, nil
	}
	return 0, "", fmt.Errorf("pgdedup: claim: %w", err)
}

// lock begins a transaction and locks key's row, in one round trip. The
// transaction is returned open only with Claimed.
func (d *Deduper) lock(ctx context.Context, key string) (glossiwebhook.ClaimStatus, pgx.Tx, error) {
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	b.Queue(d.sql.lock, key)
	br := d.pool.SendBatch(ctx, b)
	tx := br.Tx()
	_, err := br.Exec()
	var done bool
	if err == nil {
		err = br.QueryRow().Scan(&done)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && !done {
		return glossiwebhook.Claimed, tx, nil
	}
	_ = tx.Rollback(context.WithoutCancel(ctx))
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return glossiwebhook.AlreadyDone, nil, nil
	case errors.As(err, &pgErr) && pgErr.Code == "55P03": // lock_not_available: another claim holds it
		return glossiwebhook.InProgress, nil, nil
	case errors.Is(err, pgx.ErrNoRows):
		return 0, nil, errRowGone
	default:
		return 0, nil, fmt.Errorf("pgdedup: claim: %w", err)
	}
}

type txKey struct{}

// HandlerContext returns ctx carrying the transaction of the claim that token
// holds, for TxFromContext. Deduplicate calls it.
func (d *Deduper) HandlerContext(ctx context.Context, _, token string) context.Context {
	d.mu.Lock()
	tx, ok := d.claims[token]
	d.mu.Unlock()
	if !ok {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFromContext returns the transaction of the delivery a handler runs for,
// from the context Deduplicate gives it, and whether there is one. Write the
// delivery's work through it, and leave committing and rolling back to
// Deduplicate.
func TxFromContext(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(pgx.Tx)
	return tx, ok && tx != nil
}

// take removes and returns the transaction of the claim token holds.
func (d *Deduper) take(token string) (pgx.Tx, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	tx, ok := d.claims[token]
	delete(d.claims, token)
	return tx, ok
}

// Done marks the delivery key done for ttl in the claim's transaction and
// commits it, with what the handler wrote. An error means nothing was
// committed, unless the commit's answer was lost on its way back: then the
// delivery is done, and its next copy finds it so.
func (d *Deduper) Done(ctx context.Context, key, token string, ttl time.Duration) error {
	tx, ok := d.take(token)
	if !ok {
		return errors.New("pgdedup: done: this Deduper holds no claim with that token")
	}
	if _, err := tx.Exec(ctx, d.sql.done, key, ttl); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return fmt.Errorf("pgdedup: done: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgdedup: done: commit: %w", err)
	}
	return nil
}

// Release rolls back the claim's transaction, with what the handler wrote, if
// token still holds it; the next copy of the delivery is then handled.
func (d *Deduper) Release(ctx context.Context, _, token string) error {
	tx, ok := d.take(token)
	if !ok {
		return nil
	}
	if err := tx.Rollback(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("pgdedup: release: %w", err)
	}
	return nil
}

// DeleteExpired deletes at most limit rows whose TTL has ended, and the rows
// of claims that never ended done, an hour old; rows that claims hold are
// skipped. It returns how many it deleted: call it again while that is
// limit.
func (d *Deduper) DeleteExpired(ctx context.Context, limit int) (int64, error) {
	tag, err := d.pool.Exec(ctx, d.sql.deleteExpired, limit)
	if err != nil {
		return 0, fmt.Errorf("pgdedup: delete expired: %w", err)
	}
	return tag.RowsAffected(), nil
}

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
// Each delivery handled is a row of the table, keyed by Event.DedupKey, kept
// until its TTL ends. Claim begins a transaction and, in the same round
// trip, inserts the delivery's row, or locks the existing row of a delivery
// whose TTL has ended: the transaction holds that row until Done commits it
// or Release rolls it back. A copy never waits for that lock: the same
// statement first takes a transaction-scoped try-lock on a 64-bit hash of
// the table and key (pg_try_advisory_xact_lock), and a copy that cannot take
// it is InProgress at once (Deduplicate answers 409, and Glossi retries
// later). Two deliveries in flight at once whose hashes collide (odds about
// 1 in 2^64 per pair) would see one of them answered 409 and retried. A copy
// that finds the row done is AlreadyDone. Done commits the row with whatever
// the handler wrote through the transaction; Release rolls both back. A
// delivery costs two round trips: the begin and claim, and the commit (and
// a third, the done mark's TTL, until the first Done has taught Claim the
// TTL Deduplicate uses).
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
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// DefaultTable is the table New uses when given "".
const DefaultTable = "glossiwebhook_deliveries"

// Deduper is a glossiwebhook.TxDeduper on PostgreSQL. Make it with New; it is
// safe for concurrent use.
type Deduper struct {
	pool *pgxpool.Pool
	sql  statements
	seed int64 // of the try-lock's hash: one per table

	// ttl is the TTL the last Done was given. Claim writes the row with it,
	// so that Done has only to commit when given the same (Deduplicate
	// always gives the same); Done corrects the row before committing when
	// not.
	ttl atomic.Int64

	mu     sync.Mutex
	claims map[string]heldClaim // the claims this Deduper holds, by token
}

// heldClaim is the transaction of a claim and the TTL its row was written
// with.
type heldClaim struct {
	tx  pgx.Tx
	ttl time.Duration
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
	h := fnv.New64a()
	h.Write([]byte(table))
	return &Deduper{pool: pool, sql: newStatements(table), seed: int64(h.Sum64()), claims: make(map[string]heldClaim)} //nolint:gosec // a hash seed: any 64 bits
}

// statements are the SQL of a Deduper, for its table.
type statements struct {
	schema, claim, done, deleteExpired string
}

func newStatements(table string) statements {
	parts := strings.Split(table, ".")
	t := pgx.Identifier(parts).Sanitize()
	index := pgx.Identifier{parts[len(parts)-1] + "_expires_at"}.Sanitize()
	return statements{
		schema: `CREATE TABLE IF NOT EXISTS ` + t + ` (
  dedup_key  text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ` + index + ` ON ` + t + ` (expires_at);
`,
		// $1 key, $2 TTL, $3 seed. A row whose TTL has not ended is locked
		// (all conflicting rows are) but not updated, and not returned.
		claim: `WITH try AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1, $3)) AS free),
claimed AS (
  INSERT INTO ` + t + ` AS d (dedup_key, expires_at) SELECT $1, now() + $2::interval FROM try WHERE free
  ON CONFLICT (dedup_key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE d.expires_at <= now()
  RETURNING 1)
SELECT free, EXISTS (SELECT FROM claimed) FROM try`,
		done: `UPDATE ` + t + ` SET expires_at = now() + $2::interval WHERE dedup_key = $1`,
		deleteExpired: `DELETE FROM ` + t + ` WHERE dedup_key IN (
  SELECT dedup_key FROM ` + t + ` WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
	}
}

// Schema returns the SQL that Migrate runs: the table and its index, created
// if they do not exist.
func (d *Deduper) Schema() string { return d.sql.schema }

// Migrate creates the table and its index if they do not exist. Replicas
// that start at once take turns (CREATE TABLE IF NOT EXISTS run at once in
// two sessions can fail in one).
func (d *Deduper) Migrate(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, d.seed); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, d.sql.schema)
		return err
	})
	if err != nil {
		return fmt.Errorf("pgdedup: migrate: %w", err)
	}
	return nil
}

// Claim takes the delivery key in a new transaction, which the claim holds
// until Done or Release. lease is not used: the claim lasts as long as its
// transaction.
func (d *Deduper) Claim(ctx context.Context, key string, _ time.Duration) (glossiwebhook.ClaimStatus, string, error) {
	ttl := time.Duration(d.ttl.Load())
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	b.Queue(d.sql.claim, key, ttl, d.seed)
	br := d.pool.SendBatch(ctx, b)
	tx := br.Tx()
	_, err := br.Exec()
	var free, claimed bool
	if err == nil {
		err = br.QueryRow().Scan(&free, &claimed)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && claimed {
		token := rand.Text()
		d.mu.Lock()
		d.claims[token] = heldClaim{tx: tx, ttl: ttl}
		d.mu.Unlock()
		return glossiwebhook.Claimed, token, nil
	}
	_ = tx.Rollback(context.WithoutCancel(ctx))
	switch {
	case err != nil:
		return 0, "", fmt.Errorf("pgdedup: claim: %w", err)
	case !free:
		return glossiwebhook.InProgress, "", nil
	default:
		return glossiwebhook.AlreadyDone, "", nil
	}
}

type txKey struct{}

// HandlerContext returns ctx carrying the transaction of the claim that token
// holds, for TxFromContext. Deduplicate calls it.
func (d *Deduper) HandlerContext(ctx context.Context, _, token string) context.Context {
	d.mu.Lock()
	c, ok := d.claims[token]
	d.mu.Unlock()
	if !ok {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, c.tx)
}

// TxFromContext returns the transaction of the delivery a handler runs for,
// from the context Deduplicate gives it, and whether there is one. Write the
// delivery's work through it, and leave committing and rolling back to
// Deduplicate.
func TxFromContext(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(pgx.Tx)
	return tx, ok && tx != nil
}

// take removes and returns the claim token holds.
func (d *Deduper) take(token string) (heldClaim, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.claims[token]
	delete(d.claims, token)
	return c, ok
}

// Done commits the claim's transaction, with what the handler wrote: the
// delivery key is done for ttl, counted from its claim (now(), when the
// claim began the transaction). An error means nothing was committed, unless
// the commit's answer was lost on its way back: then the delivery is done,
// and its next copy finds it so.
func (d *Deduper) Done(ctx context.Context, key, token string, ttl time.Duration) error {
	c, ok := d.take(token)
	if !ok {
		return errors.New("pgdedup: done: this Deduper holds no claim with that token")
	}
	if c.ttl != ttl {
		if _, err := c.tx.Exec(ctx, d.sql.done, key, ttl); err != nil {
			_ = c.tx.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("pgdedup: done: %w", err)
		}
		d.ttl.Store(int64(ttl))
	}
	if err := c.tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgdedup: done: commit: %w", err)
	}
	return nil
}

// Release rolls back the claim's transaction, with what the handler wrote, if
// token still holds it; the next copy of the delivery is then handled.
func (d *Deduper) Release(ctx context.Context, _, token string) error {
	c, ok := d.take(token)
	if !ok {
		return nil
	}
	if err := c.tx.Rollback(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("pgdedup: release: %w", err)
	}
	return nil
}

// DeleteExpired deletes at most limit rows whose TTL has ended, skipping the
// rows that claims hold, and returns how many it deleted: call it again
// while that is limit.
func (d *Deduper) DeleteExpired(ctx context.Context, limit int) (int64, error) {
	tag, err := d.pool.Exec(ctx, d.sql.deleteExpired, limit)
	if err != nil {
		return 0, fmt.Errorf("pgdedup: delete expired: %w", err)
	}
	return tag.RowsAffected(), nil
}

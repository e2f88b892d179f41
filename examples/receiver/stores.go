package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
)

// storeConfig is the flags of where the receiver keeps its claims and the
// events it handles.
type storeConfig struct {
	redis, postgres string
	lease, delay    time.Duration
}

func (s *storeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&s.redis, "redis", "", "Redis `address` (host:port) shared by the receiver's replicas to handle each delivery once; default: in memory, one process")
	fs.StringVar(&s.postgres, "postgres", "", "PostgreSQL `DSN` shared by the receiver's replicas: each delivery is claimed, recorded in glossi_receiver_events and marked done in one transaction (with --redis too, Redis keeps the claims and the events are written on their own); "+
		"each delivery being handled holds a connection, so set pool_max_conns in the DSN; keep the password out of the DSN, whose command line other users can read: PGPASSWORD or PGPASSFILE")
	fs.DurationVar(&s.lease, "lease", 45*time.Second, "how long a claim in memory or on Redis holds a delivery before a copy may take it (--postgres alone has no lease)")
	fs.DurationVar(&s.delay, "handler-delay", 0, "a test knob: how long the handler waits after recording a delivery, before answering (inside the transaction with --postgres)")
}

func (s storeConfig) check() error {
	if s.lease <= 0 || s.delay < 0 {
		return errors.New("--lease must be positive and --handler-delay not negative")
	}
	return nil
}

// stores is where the receiver keeps its claims and the events it handled.
type stores struct {
	deduper glossiwebhook.Deduper
	events  *pgxpool.Pool // nil: events are only logged
	lease   time.Duration
	delay   time.Duration
}

// eventsSchema is the receiver's business table: a row is the effect of a
// handled delivery. It has no unique constraint on dedup_key, so that a
// delivery handled twice shows as two rows.
const eventsSchema = `CREATE TABLE IF NOT EXISTS glossi_receiver_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedup_key   text NOT NULL,
  event_type  text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
)`

// openStores connects to the stores cfg names: memory; Redis; PostgreSQL for
// both claims and events; or Redis for the claims and PostgreSQL for the
// events. It creates the tables it needs in PostgreSQL. The returned
// function closes the connections.
func openStores(ctx context.Context, cfg storeConfig, logger *log.Logger) (stores, func(), error) {
	s := stores{deduper: glossiwebhook.NewMemoryDeduper(0), lease: cfg.lease, delay: cfg.delay}
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	if cfg.postgres != "" {
		pool, d, err := openPostgres(ctx, cfg.postgres, cfg.redis == "", logger)
		if err != nil {
			return s, closeAll, err
		}
		closers = append(closers, pool.Close)
		s.events = pool
		if d != nil {
			go deleteExpired(ctx, d, logger)
			s.deduper = d
		}
	}
	if cfg.redis != "" {
		rdb := openRedis(ctx, cfg.redis, logger)
		closers = append(closers, func() { _ = rdb.Close() })
		s.deduper = redisdedup.New(rdb, "")
	}
	return s, closeAll, nil
}

// openPostgres connects to dsn and creates the events table, and, when it
// keeps the claims, pgdedup's table and the Deduper over it (else nil). The
// log names the server, never the DSN, which may hold a password.
func openPostgres(ctx context.Context, dsn string, claims bool, logger *log.Logger) (*pgxpool.Pool, *pgdedup.Deduper, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, errors.New("--postgres: the DSN does not parse") // its error may quote the password
	}
	server := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("PostgreSQL at %s: %w", server, err)
	}
	var d *pgdedup.Deduper
	schema := eventsSchema
	if claims {
		d = pgdedup.New(pool, "")
		schema = d.Schema() + eventsSchema
	}
	if err := createTables(ctx, pool, schema); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("PostgreSQL at %s: creating the receiver's tables: %w", server, err)
	}
	if claims {
		logger.Printf("deduplicating on PostgreSQL at %s (pool of %d connections), events recorded in the same transaction", server, cfg.MaxConns)
	} else {
		logger.Printf("recording events in PostgreSQL at %s, each in a transaction of its own", server)
	}
	return pool, d, nil
}

// createTables runs schema, the SQL that creates the receiver's tables if
// they do not exist, in one transaction; replicas that start at once take
// turns (CREATE TABLE IF NOT EXISTS run at once in two sessions can fail in
// one).
func createTables(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('glossi_receiver_events'))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
}

// deleteExpired deletes pgdedup's expired rows every minute, at most 10,000
// at a time.
func deleteExpired(ctx context.Context, d *pgdedup.Deduper, logger *log.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := d.DeleteExpired(ctx, 10_000); err != nil && ctx.Err() == nil {
				logger.Printf("deleting expired deliveries: %v", err)
			}
		}
	}
}

// openRedis returns a client of the Redis at addr, and logs whether it
// answers: until it does, deliveries are refused with 503.
func openRedis(ctx context.Context, addr string, logger *log.Logger) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 2 * time.Second,
		ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second})
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		logger.Printf("Redis at %s does not answer (%v): deliveries are refused with 503 until it does", addr, err)
	} else {
		logger.Printf("deduplicating on Redis at %s", addr)
	}
	return rdb
}

// record writes the event of a handled delivery to glossi_receiver_events:
// through the delivery's transaction when pgdedup holds it, else on its own.
func (s stores) record(ctx context.Context, ev *glossiwebhook.Event) error {
	const insert = `INSERT INTO glossi_receiver_events (dedup_key, event_type) VALUES ($1, $2)`
	if s.events == nil {
		return nil
	}
	if tx, ok := pgdedup.TxFromContext(ctx); ok {
		_, err := tx.Exec(ctx, insert, ev.DedupKey(), string(ev.Type))
		return err
	}
	_, err := s.events.Exec(ctx, insert, ev.DedupKey(), string(ev.Type))
	return err
}

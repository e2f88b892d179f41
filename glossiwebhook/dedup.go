package glossiwebhook

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// ClaimStatus is a Deduper's answer to Claim.
type ClaimStatus int

const (
	// Claimed: the caller holds the delivery until Done, Release or the
	// lease ends.
	Claimed ClaimStatus = iota
	// AlreadyDone: the delivery was handled before, within the TTL.
	AlreadyDone
	// InProgress: another holder's lease is still running.
	InProgress
)

// A Deduper records which deliveries are being handled and which were
// handled, so that a delivery Glossi sends more than once is handled once.
// NewMemoryDeduper serves one process; implement Deduper over a shared store
// (such as Redis, see package redisdedup) when several replicas receive
// deliveries, or TxDeduper when the handler should write through the
// claim's transaction (PostgreSQL, see package pgdedup). Keys are
// Event.DedupKey.
//
// A claim carries identity: Claim returns a token, and Release drops the
// claim only if that token still holds it. A handler that outlived its lease
// (another copy of the delivery was claimed since) and then fails must not
// free the delivery while the newer claim's handler still runs.
type Deduper interface {
	// Claim takes key for lease unless it is done (AlreadyDone) or another
	// claim's lease is running (InProgress). It must be atomic: of two
	// concurrent claims of a new key, exactly one gets Claimed. With
	// Claimed it returns the claim's token, unique among the claims of key;
	// otherwise "". An error means the answer is unknown: the claim may
	// have been taken all the same, and then holds key until the lease ends.
	Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error)
	// Done marks key handled, whether or not token still holds its claim
	// (the handler did its work); Claim answers AlreadyDone for ttl.
	Done(ctx context.Context, key, token string, ttl time.Duration) error
	// Release drops the claim of key if token still holds it, so that the
	// next Claim gets Claimed; a claim taken since, or a done key, is left
	// alone.
	Release(ctx context.Context, key, token string) error
}

type dedupConfig struct {
	lease time.Duration
	ttl   time.Duration
}

// A DedupOption configures Deduplicate.
type DedupOption func(*dedupConfig)

// WithLease sets how long a claim holds before another replica may take the
// delivery, which is how long a crashed replica delays the delivery's
// retry. The default, 45 seconds, outlasts Glossi's wait for an answer and
// ends before its first retry (see the package doc, Glossi's retries).
// Deduplicate panics if d is not positive.
func WithLease(d time.Duration) DedupOption {
	return func(c *dedupConfig) { c.lease = positive("WithLease", d) }
}

// WithDedupTTL sets how long a handled delivery is remembered. The default,
// 65 minutes, is the Verifier's default replay window (one hour back, five
// minutes ahead): a delivery older than that is refused by its timestamp.
// Widen it with WithTolerance. Deduplicate panics if d is not positive.
func WithDedupTTL(d time.Duration) DedupOption {
	return func(c *dedupConfig) { c.ttl = positive("WithDedupTTL", d) }
}

func positive(name string, d time.Duration) time.Duration {
	if d <= 0 {
		panic("glossiwebhook: " + name + ": duration must be positive")
	}
	return d
}

// Deduplicate returns a handler that calls next once per delivery. Use it
// inside Middleware, which puts the verified event it needs in the context:
//
//	v.Middleware(glossiwebhook.Deduplicate(d, handler))
//
// It claims the delivery before calling next and marks it done only once
// next answered 2xx; if next answers anything else or panics, it releases
// the delivery so that Glossi's retry is handled (the panic goes on). With
// a TxDeduper, next runs inside the claim's transaction and its answer is
// sent once that transaction has committed. It answers by itself:
//
//	handled before, within the TTL    200, so Glossi stops retrying
//	being handled elsewhere           409, so Glossi retries later
//	the Deduper failed                503 and a log line (log/slog): a
//	                                  delivery is never handled unchecked
//	not inside Middleware             500 and a log line
func Deduplicate(d Deduper, next http.Handler, opts ...DedupOption) http.Handler {
	if d == nil || next == nil {
		panic("glossiwebhook: Deduplicate: nil Deduper or handler")
	}
	cfg := dedupConfig{lease: 45 * time.Second, ttl: 65 * time.Minute}
	for _, opt := range opts {
		opt(&cfg)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, ok := EventFromContext(r.Context())
		if !ok {
			slog.ErrorContext(r.Context(), "glossiwebhook: Deduplicate is not inside Verifier.Middleware; delivery refused")
			http.Error(w, "receiver misconfigured", http.StatusInternalServerError)
			return
		}
		key := ev.DedupKey()
		status, token, err := d.Claim(r.Context(), key, cfg.lease)
		if err != nil {
			slog.ErrorContext(r.Context(), "glossiwebhook: deduplication unavailable, delivery refused with 503 for Glossi to retry; "+
				claimLeftBehind(d), "event", ev.Type, "lease", cfg.lease, "error", err)
			http.Error(w, "deduplication unavailable, retry later", http.StatusServiceUnavailable)
			return
		}
		switch status {
		case Claimed:
			if td, ok := d.(TxDeduper); ok {
				handleInTx(td, cfg.ttl, claim{key, token}, next, w, r)
				return
			}
			handleClaimed(d, cfg.ttl, claim{key, token}, next, w, r)
		case AlreadyDone:
			_, _ = w.Write([]byte("duplicate delivery ignored"))
		default:
			http.Error(w, "delivery in progress, retry later", http.StatusConflict)
		}
	})
}

// claim is a claimed delivery: its key and the token that holds it.
type claim struct{ key, token string }

// handleClaimed calls next and then marks the delivery done after a 2xx, or
// releases it after anything else, a panic included.
func handleClaimed(d Deduper, ttl time.Duration, c claim, next http.Handler, w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	returned := false
	defer func() {
		ctx := detached(r.Context())
		if returned && sw.status >= 200 && sw.status <= 299 {
			if err := d.Done(ctx, c.key, c.token, ttl); err != nil {
				slog.ErrorContext(ctx, "glossiwebhook: could not mark a handled delivery done; a copy may be handled again after the lease", "error", err)
			}
			return
		}
		if err := d.Release(ctx, c.key, c.token); err != nil {
			slog.ErrorContext(ctx, "glossiwebhook: could not release a failed delivery; its retry waits for the lease to end", "error", err)
		}
	}()
	next.ServeHTTP(sw, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	returned = true
}

// statusWriter records the status a handler answers.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush flushes the underlying ResponseWriter, if it can.
func (s *statusWriter) Flush() {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	_ = http.NewResponseController(s.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying ResponseWriter.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// claimLeftBehind says what becomes of a claim that reached the store although Claim failed.
func claimLeftBehind(d Deduper) string {
	if _, ok := d.(TxDeduper); ok {
		return "if the claim reached the store anyway, its transaction rolls back when it ends"
	}
	return "if the claim reached the store anyway, it holds the delivery until the lease ends"
}

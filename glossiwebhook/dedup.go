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
	h := &dedupHandler{d: d, next: next, cfg: dedupConfig{lease: 45 * time.Second, ttl: 65 * time.Minute}, log: leaseLog}
	for _, opt := range opts {
		opt(&h.cfg)
	}
	if tx, ok := d.(TxDeduper); ok {
		h.tx, h.log = tx, txLog
	}
	return h
}

// dedupHandler is the handler Deduplicate returns. Whether its Deduper is a
// TxDeduper is settled there, once.
type dedupHandler struct {
	d    Deduper
	tx   TxDeduper // d, if it is one: next runs inside the claim's transaction
	next http.Handler
	cfg  dedupConfig
	log  dedupLog
}

// dedupLog is the wording of the log lines of a failed store: each says
// what the failure leaves behind, a lease or a transaction.
type dedupLog struct {
	claimFailed, doneFailed, releaseFailed string
}

const claimFailed = "glossiwebhook: deduplication unavailable, delivery refused with 503 for Glossi to retry; "

var leaseLog = dedupLog{
	claimFailed:   claimFailed + "if the claim reached the store anyway, it holds the delivery until the lease ends",
	doneFailed:    "glossiwebhook: could not mark a handled delivery done; a copy may be handled again after the lease",
	releaseFailed: "glossiwebhook: could not release a failed delivery; its retry waits for the lease to end",
}

func (h *dedupHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev, ok := EventFromContext(r.Context())
	if !ok {
		slog.ErrorContext(r.Context(), "glossiwebhook: Deduplicate is not inside Verifier.Middleware; delivery refused")
		http.Error(w, "receiver misconfigured", http.StatusInternalServerError)
		return
	}
	key := ev.DedupKey()
	status, token, err := h.d.Claim(r.Context(), key, h.cfg.lease)
	if err != nil {
		slog.ErrorContext(r.Context(), h.log.claimFailed, "event", ev.Type, "lease", h.cfg.lease, "error", err)
		http.Error(w, "deduplication unavailable, retry later", http.StatusServiceUnavailable)
		return
	}
	switch status {
	case Claimed:
		h.handleClaimed(claim{key, token}, w, r)
	case AlreadyDone:
		_, _ = w.Write([]byte("duplicate delivery ignored"))
	default:
		http.Error(w, "delivery in progress, retry later", http.StatusConflict)
	}
}

// claim is a claimed delivery: its key and the token that holds it.
type claim struct{ key, token string }

// handleClaimed calls next and then marks the delivery done after a 2xx, or
// releases it after anything else, a panic included. With a TxDeduper, next
// runs with the claim's context and writes to a heldWriter, whose answer is
// sent once Done has committed, or replaced by 503 if it failed.
func (h *dedupHandler) handleClaimed(c claim, w http.ResponseWriter, r *http.Request) {
	fw := &flushWriter{statusWriter{ResponseWriter: w}}
	sw, out := &fw.statusWriter, http.ResponseWriter(fw)
	var held *heldWriter
	if h.tx != nil {
		held = &heldWriter{header: http.Header{}}
		sw.ResponseWriter, out = held, sw // a held answer cannot be flushed
		r = r.WithContext(h.tx.HandlerContext(r.Context(), c.key, c.token))
	}
	returned := false
	defer func() { h.settle(detached(r.Context()), c, returned, sw.status, held, w) }()
	h.next.ServeHTTP(out, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	returned = true
}

// settle marks the delivery done if next returned a 2xx status, else
// releases it. A held answer is sent once settled: after Done, or after
// Release if next returned; a failed Done answers 503 instead.
func (h *dedupHandler) settle(ctx context.Context, c claim, returned bool, status int, held *heldWriter, w http.ResponseWriter) {
	if !returned || status < 200 || status > 299 {
		if err := h.d.Release(ctx, c.key, c.token); err != nil {
			slog.ErrorContext(ctx, h.log.releaseFailed, "error", err)
		}
		if returned && held != nil {
			held.send(w, status)
		}
		return
	}
	if err := h.d.Done(ctx, c.key, c.token, h.cfg.ttl); err != nil {
		slog.ErrorContext(ctx, h.log.doneFailed, "error", err)
		if held != nil {
			http.Error(w, "delivery not recorded, retry later", http.StatusServiceUnavailable)
		}
		return
	}
	if held != nil {
		held.send(w, status)
	}
}

// detached returns ctx, or ctx without its cancellation once canceled: the
// client went away, and the outcome must still be recorded.
func detached(ctx context.Context) context.Context {
	if ctx.Err() != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
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

// Unwrap lets http.ResponseController reach the underlying ResponseWriter.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// flushWriter is a statusWriter that can Flush: the one over the client's
// ResponseWriter.
type flushWriter struct{ statusWriter }

// Flush flushes the underlying ResponseWriter, if it can.
func (f *flushWriter) Flush() {
	if f.status == 0 {
		f.status = http.StatusOK
	}
	_ = http.NewResponseController(f.ResponseWriter).Flush()
}

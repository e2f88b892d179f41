package glossiwebhook

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"net/http"
	"time"
)

// A TxDeduper is a Deduper whose claim is a transaction in the store that
// the handler writes through (package pgdedup), so that the handler's work
// and the done mark commit together or not at all: Done commits both, and
// Release, or the store on losing the connection, rolls both back. No lease
// applies; the claim lasts as long as its transaction.
//
// Deduplicate runs the handler with the context HandlerContext returns, and
// holds the handler's answer until Done has committed: if Done fails, it
// answers 503 instead, so that Glossi retries the delivery rather than
// believe work that was rolled back is done. The handler's answer is
// therefore sent whole once it returns: its ResponseWriter cannot Flush.
type TxDeduper interface {
	Deduper
	// HandlerContext returns ctx carrying the claim of key that token holds,
	// for the handler to write through.
	HandlerContext(ctx context.Context, key, token string) context.Context
}

// handleInTx calls next inside the claim's transaction, holding its answer;
// after a 2xx it commits with Done and sends the answer, or 503 if the
// commit failed. After anything else, a panic included, it rolls back with
// Release.
func handleInTx(d TxDeduper, ttl time.Duration, c claim, next http.Handler, w http.ResponseWriter, r *http.Request) {
	held := &heldWriter{header: http.Header{}}
	r = r.WithContext(d.HandlerContext(r.Context(), c.key, c.token))
	returned := false
	defer func() {
		ctx := detached(r.Context())
		if !returned || held.status < 200 || held.status > 299 {
			if err := d.Release(ctx, c.key, c.token); err != nil {
				slog.ErrorContext(ctx, "glossiwebhook: could not roll back a failed delivery's transaction; the store rolls it back when the connection drops", "error", err)
			}
			if returned {
				held.send(w)
			}
			return
		}
		if err := d.Done(ctx, c.key, c.token, ttl); err != nil {
			slog.ErrorContext(ctx, "glossiwebhook: could not commit a handled delivery; its work was rolled back, answered 503 for Glossi to retry", "error", err)
			http.Error(w, "delivery not recorded, retry later", http.StatusServiceUnavailable)
			return
		}
		held.send(w)
	}()
	next.ServeHTTP(held, r)
	if held.status == 0 {
		held.status = http.StatusOK
	}
	returned = true
}

// detached returns ctx, or ctx without its cancellation once canceled: the
// client went away, and the outcome must still be recorded.
func detached(ctx context.Context) context.Context {
	if ctx.Err() != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// heldWriter holds a handler's answer until its transaction has committed.
type heldWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldWriter) Header() http.Header { return h.header }

func (h *heldWriter) WriteHeader(code int) {
	if h.status == 0 && code >= 200 {
		h.status = code
	}
}

func (h *heldWriter) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return h.body.Write(b)
}

// send writes the held answer to w.
func (h *heldWriter) send(w http.ResponseWriter) {
	maps.Copy(w.Header(), h.header)
	w.WriteHeader(h.status)
	_, _ = w.Write(h.body.Bytes())
}

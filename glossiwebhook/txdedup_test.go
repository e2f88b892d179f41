package glossiwebhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// txDeduper is a TxDeduper over a memory deduper that records what
// Deduplicate asks of it, and whose Done fails with doneErr.
type txDeduper struct {
	Deduper
	doneErr  error
	calls    []string
	handlerV any // the value the handler's context carried
}

type txValueKey struct{}

func (d *txDeduper) HandlerContext(ctx context.Context, key, token string) context.Context {
	d.calls = append(d.calls, "HandlerContext")
	return context.WithValue(ctx, txValueKey{}, "tx of "+token)
}

func (d *txDeduper) Done(ctx context.Context, key, token string, ttl time.Duration) error {
	d.calls = append(d.calls, "Done")
	if d.doneErr != nil {
		_ = d.Deduper.Release(ctx, key, token) // the transaction rolled back
		return d.doneErr
	}
	return d.Deduper.Done(ctx, key, token, ttl)
}

func (d *txDeduper) Release(ctx context.Context, key, token string) error {
	d.calls = append(d.calls, "Release")
	return d.Deduper.Release(ctx, key, token)
}

// txHandler answers status with a header and a body, after recording the
// value HandlerContext put in its context.
func txHandler(d *txDeduper, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d.calls = append(d.calls, "handler")
		d.handlerV = r.Context().Value(txValueKey{})
		w.Header().Set("X-Handled", "yes")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "handler's answer")
		if f, ok := w.(http.Flusher); ok {
			f.Flush() // sends nothing before the commit
		}
	}
}

func sendTx(t *testing.T, d *txDeduper, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	return serveDelivery(newTestVerifier(t).Middleware(Deduplicate(d, h)), seedBody())
}

// With a TxDeduper the handler runs with the claim's context, and its answer
// is sent only after Done committed; a failed commit answers 503 instead,
// and the next copy is handled.
func TestDeduplicate_txDeduperAnswersAfterTheCommit(t *testing.T) {
	logs := captureSlog(t)

	d := &txDeduper{Deduper: NewMemoryDeduper(4), doneErr: errors.New("commit failed: connection lost")}
	w := sendTx(t, d, txHandler(d, http.StatusCreated))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("X-Handled") != "" || strings.Contains(w.Body.String(), "handler's answer") {
		t.Errorf("failed commit: %d %q, headers %v; want 503 without the handler's answer", w.Code, w.Body, w.Header())
	}
	if got := strings.Join(d.calls, ","); got != "HandlerContext,handler,Done" {
		t.Errorf("calls %s", got)
	}
	if d.handlerV == nil || !strings.HasPrefix(d.handlerV.(string), "tx of ") { //nolint:forcetypeassert // set by HandlerContext
		t.Errorf("the handler's context carried %v, want the claim's", d.handlerV)
	}
	if !strings.Contains(logs.String(), "could not commit a handled delivery") || !strings.Contains(logs.String(), "connection lost") {
		t.Errorf("log %q", logs.String())
	}

	d.doneErr, d.calls = nil, nil
	w = sendTx(t, d, txHandler(d, http.StatusCreated))
	if w.Code != http.StatusCreated || w.Header().Get("X-Handled") != "yes" || w.Body.String() != "handler's answer" {
		t.Errorf("the next copy, committed: %d %q, headers %v; want the handler's 201", w.Code, w.Body, w.Header())
	}
	if got := strings.Join(d.calls, ","); got != "HandlerContext,handler,Done" {
		t.Errorf("calls %s", got)
	}
	if w = sendTx(t, d, txHandler(d, http.StatusCreated)); w.Code != http.StatusOK || w.Body.String() != "duplicate delivery ignored" {
		t.Errorf("a copy after the commit: %d %q", w.Code, w.Body)
	}
}

// A handler's failure or panic rolls back with Release, and its failure
// answer is sent as it wrote it.
func TestDeduplicate_txDeduperFailureRollsBack(t *testing.T) {
	d := &txDeduper{Deduper: NewMemoryDeduper(4)}
	w := sendTx(t, d, txHandler(d, http.StatusInternalServerError))
	if w.Code != http.StatusInternalServerError || w.Header().Get("X-Handled") != "yes" || w.Body.String() != "handler's answer" {
		t.Errorf("failed handler: %d %q, headers %v", w.Code, w.Body, w.Header())
	}
	if got := strings.Join(d.calls, ","); got != "HandlerContext,handler,Release" {
		t.Errorf("calls %s", got)
	}
	d.calls = nil
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		sendTx(t, d, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	}()
	if got := strings.Join(d.calls, ","); got != "HandlerContext,Release" {
		t.Errorf("calls after a panic %s", got)
	}
}

// When a TxDeduper's claim fails, the 503's log line says what becomes of a claim that reached
// the store anyway: its transaction rolls back; no lease holds it.
func TestDeduplicate_txDeduperClaimFailureLogsNoLease(t *testing.T) {
	logs := captureSlog(t)

	d := &txDeduper{Deduper: &fixedDeduper{err: errors.New("connection reset by peer")}}
	if w := sendTx(t, d, txHandler(d, http.StatusOK)); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", w.Code)
	}
	if got := logs.String(); !strings.Contains(got, "its transaction rolls back") || strings.Contains(got, "lease ends") {
		t.Errorf("the log line does not say the claim's transaction rolls back:\n%s", got)
	}
}

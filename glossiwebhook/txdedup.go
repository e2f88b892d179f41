package glossiwebhook

import (
	"bytes"
	"context"
	"maps"
	"net/http"
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

var txLog = dedupLog{
	claimFailed:   claimFailed + "if the claim reached the store anyway, its transaction rolls back when it ends",
	doneFailed:    "glossiwebhook: could not commit a handled delivery; its work was rolled back, answered 503 for Glossi to retry",
	releaseFailed: "glossiwebhook: could not roll back a failed delivery's transaction; the store rolls it back when the connection drops",
}

// heldWriter holds a handler's answer until its transaction has committed:
// a plain buffer under the statusWriter that records the status.
type heldWriter struct {
	header http.Header
	body   bytes.Buffer
}

func (h *heldWriter) Header() http.Header { return h.header }

// WriteHeader does nothing: the statusWriter above records the status.
func (h *heldWriter) WriteHeader(int) {}

func (h *heldWriter) Write(b []byte) (int, error) { return h.body.Write(b) }

// send writes the held answer to w with status.
func (h *heldWriter) send(w http.ResponseWriter, status int) {
	maps.Copy(w.Header(), h.header)
	w.WriteHeader(status)
	_, _ = w.Write(h.body.Bytes())
}

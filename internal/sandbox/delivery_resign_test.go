package sandbox_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// What a receiver built with glossiwebhook does when the secret is rotated between a delivery's
// first attempt and its retry. The first attempt is handled but its answer never reaches the
// sandbox (the gateway in front of the receiver answers 504, as it does for a handler that
// answers too late), and the rotation happens meanwhile: the receiver takes the new secret and
// keeps the old one as previous_secret.
//
//   - By default the retry carries the first attempt's signature: it verifies with the previous
//     secret, has the same DedupKey, and Deduplicate answers it as a duplicate (one run).
//   - With ResignRetries the retry is signed with the new secret: it verifies with the current
//     secret, but its DedupKey is new, so the handler runs a second time. Deduplicating on the
//     signature rests on a retry carrying the same body and signature.
func TestResignRetries_receiverAfterRotation(t *testing.T) {
	for _, tc := range []struct {
		resign      bool
		wantRuns    int
		wantKeys    int
		wantSigners string // of the first attempt and the retry
	}{{false, 1, 1, "old old"}, {true, 2, 2, "old new"}} {
		t.Run(map[bool]string{false: "same signature", true: "re-signed"}[tc.resign], func(t *testing.T) {
			rc := newRotatingReceiver(t)
			e, w := deliveryEnv(t, rc.srv.URL, sandbox.Options{ResignRetries: tc.resign})
			rc.start(t, w.Secret, func() { // during the first attempt: rotate
				e.sb.UpdateWebhook(key, func(w *sandbox.Webhook) { w.Secret = rotatedSecret })
				if err := rc.v.SetSecrets(rotatedSecret, w.Secret, fixedNow.Add(time.Hour)); err != nil {
					t.Error(err)
				}
			})
			d, err := e.sb.Trigger(context.Background(), key, "model.processed", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Wait(context.Background()); err != nil || d.State() != sandbox.DeliveryDelivered {
				t.Fatalf("delivery %s, %v; attempts %+v", d.State(), err, d.Attempts())
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			signers := strings.Join(rc.signers, " ")
			if rc.runs != tc.wantRuns || len(rc.keys) != tc.wantKeys || len(d.Attempts()) != 2 || signers != tc.wantSigners {
				t.Errorf("handler ran %d times over %d attempts signed with the %s secrets, %d distinct DedupKeys; want %d runs, %q, %d keys",
					rc.runs, len(d.Attempts()), signers, len(rc.keys), tc.wantRuns, tc.wantSigners, tc.wantKeys)
			}
			t.Logf("ResignRetries=%t: attempts %d (first: %s), signed with the %s secrets, both verified (the old one as previous_secret), handler ran %d time(s), %d distinct DedupKey(s)",
				tc.resign, len(d.Attempts()), d.Attempts()[0].Outcome(), signers, rc.runs, len(rc.keys))
		})
	}
}

const rotatedSecret = "whsec_after_rotation_0123"

// rotatingReceiver is glossiwebhook's Middleware and Deduplicate (in memory) over a handler
// that, on its first run, calls rotate. The first request is handled whole (the delivery is
// recorded as done) and then answered 504 Gateway Timeout, so the sandbox retries only after
// the first run is over. Its server exists before the handler, which needs the webhook's
// secret.
type rotatingReceiver struct {
	srv      *httptest.Server
	h        atomic.Pointer[http.Handler]
	v        *glossiwebhook.Verifier
	requests atomic.Int32

	mu      sync.Mutex
	runs    int
	keys    map[string]bool // the DedupKeys seen
	signers []string        // which secret signed each attempt: "old", "new" or "other"
}

func newRotatingReceiver(t *testing.T) *rotatingReceiver {
	rc := &rotatingReceiver{keys: map[string]bool{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rc.requests.Add(1) > 1 {
			(*rc.h.Load()).ServeHTTP(w, r)
			return
		}
		(*rc.h.Load()).ServeHTTP(httptest.NewRecorder(), r) // handled; the answer is lost
		http.Error(w, "the receiver did not answer in time", http.StatusGatewayTimeout)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// start verifies with secret from now on; call it before the first delivery.
func (rc *rotatingReceiver) start(t *testing.T, secret string, rotate func()) {
	v, err := glossiwebhook.NewVerifier(secret, glossiwebhook.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	rc.v = v
	handle := glossiwebhook.Deduplicate(glossiwebhook.NewMemoryDeduper(0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		rc.mu.Lock()
		rc.runs++
		first := rc.runs == 1
		rc.mu.Unlock()
		if first {
			rotate()
		}
	}))
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		signer := "other"
		for name, s := range map[string]string{"old": secret, "new": rotatedSecret} {
			if ev.DedupKey() == glossiwebhook.Sign(ev.Raw, s) {
				signer = name
			}
		}
		rc.mu.Lock()
		rc.keys[ev.DedupKey()] = true
		rc.signers = append(rc.signers, signer)
		rc.mu.Unlock()
		handle.ServeHTTP(w, r)
	}))
	rc.h.Store(&h)
}

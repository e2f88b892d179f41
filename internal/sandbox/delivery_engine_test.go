package sandbox_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// A webhook deleted or disabled while a delivery waits for its retry: the retry is not made, and
// the delivery is cancelled saying why.
func TestTrigger_retryCancelledWhenTheWebhookGoes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(sb *sandbox.Sandbox)
		reason string
	}{
		{"deleted", func(sb *sandbox.Sandbox) { sb.DeleteWebhook(key) }, "the webhook was deleted"},
		{"disabled", func(sb *sandbox.Sandbox) { sb.UpdateWebhook(key, func(w *sandbox.Webhook) { w.Enabled = false }) }, "the webhook was disabled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := newReceiver(t, http.StatusInternalServerError)
			e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{})
			// Changed while the first attempt waits for its answer: before the retry, however
			// soon the retry is due and however the goroutines are scheduled.
			rc.setHook(func(*http.Request) { tc.change(e.sb) })
			d := mustTrigger(t, e.sb, "job.failed", nil)
			waitDone(t, d)
			if d.State() != sandbox.DeliveryCancelled || d.CancelReason() != tc.reason {
				t.Errorf("state %s, reason %q; want cancelled because %s", d.State(), d.CancelReason(), tc.reason)
			}
			if n := len(rc.received()); n != 1 || len(d.Attempts()) != 1 {
				t.Errorf("the receiver got %d requests, the delivery has %d attempts; want 1 of each", n, len(d.Attempts()))
			}
		})
	}
}

// A receiver that drops the connection instead of answering: each attempt says how it was
// dropped, as glossi-sandbox trigger shows it.
func TestTrigger_droppedConnectionSaysHow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reset bool
		want  string
	}{
		{"closed", false, "connection closed without an answer"},
		{"reset", true, "connection reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				if tcp, ok := conn.(*net.TCPConn); ok && tc.reset {
					_ = tcp.SetLinger(0) // Close sends a reset
				}
				_ = conn.Close()
			}))
			t.Cleanup(srv.Close)
			e, _ := deliveryEnv(t, srv.URL, sandbox.Options{})
			d := mustTrigger(t, e.sb, "render.failed", nil)
			for _, a := range failedAttempts(t, d) {
				if a.Status != 0 || a.Error != tc.want {
					t.Errorf("attempt %+v, want the error %q", a, tc.want)
				}
			}
		})
	}
}

// A receiver behind TLS that the sandbox does not trust: the attempt names the connection error.
func TestTrigger_connectionErrorNamed(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	e, _ := deliveryEnv(t, srv.URL, sandbox.Options{})
	d := mustTrigger(t, e.sb, "render.failed", nil)
	for _, a := range failedAttempts(t, d) {
		if !strings.HasPrefix(a.Error, "connection error: ") || !strings.Contains(a.Error, "certificate") {
			t.Errorf("attempt %+v, want a connection error naming the certificate", a)
		}
	}
}

// The sandbox does not follow a redirect: the attempt records the redirect's status, and the
// URL it points to gets nothing.
func TestTrigger_redirectNotFollowed(t *testing.T) {
	target := newReceiver(t)
	srv := httptest.NewServer(http.RedirectHandler(target.srv.URL+"/elsewhere", http.StatusFound))
	t.Cleanup(srv.Close)
	e, _ := deliveryEnv(t, srv.URL, sandbox.Options{})
	d := mustTrigger(t, e.sb, "model.processed", nil)
	for _, a := range failedAttempts(t, d) {
		if a.Status != http.StatusFound {
			t.Errorf("attempt %+v, want the redirect's 302", a)
		}
	}
	if n := len(target.received()); n != 0 {
		t.Errorf("the redirect was followed: its target got %d requests", n)
	}
}

// A long answer of a refused attempt is kept cut to a valid UTF-8 snippet with a mark, whatever
// the byte where the cut falls.
func TestTrigger_longAnswerCutOnARuneBoundary(t *testing.T) {
	answer := strings.Repeat("€", 400) // 3 bytes each, so no cut at 3n+1 bytes falls between runes
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	e, _ := deliveryEnv(t, srv.URL, sandbox.Options{})
	d := mustTrigger(t, e.sb, "model.failed", nil)
	waitDone(t, d)
	got := d.Attempts()[0].Response
	cut := strings.TrimSuffix(got, "…")
	if !utf8.ValidString(got) || cut == got || !strings.HasPrefix(answer, cut) || len(cut) < 200 || len(cut) > 256 {
		t.Errorf("response snippet of %d bytes (%q): want at most 256 bytes of the answer, cut between runes and marked", len(got), got)
	}
}

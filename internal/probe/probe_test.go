package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The exact bytes the documentation of glossi_webhook_probe shows, and shows right.
func TestBody_exactBytes(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 29, 13, 5, 7, 89_000_000, time.FixedZone("CET", 3600))
	want := `{"event":"probe.not_a_glossi_event","timestamp":"2026-11-29T12:05:07.089Z","data":{"message":"This is a probe ` +
		`from terraform-provider-glossi (the glossi_webhook_probe data source), not a Glossi event: it checks that this ` +
		`receiver accepts deliveries signed with the webhook secret and refuses forged ones. Ignore it."}}`
	if got := string(Body(at)); got != want {
		t.Errorf("Body:\n got %s\nwant %s", got, want)
	}
	doc, err := os.ReadFile("../../templates/data-sources/webhook_probe.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "\n"+want+"\n") {
		t.Error("templates/data-sources/webhook_probe.md.tmpl does not show the probe's exact bytes on a line of their own")
	}
}

// A probe is a delivery glossiwebhook parses in full: signature, envelope and timestamp.
func TestBody_parsesAsProbeEvent(t *testing.T) {
	t.Parallel()
	v, err := glossiwebhook.NewVerifier("whsec_probe")
	if err != nil {
		t.Fatal(err)
	}
	body := Body(time.Now())
	ev, err := v.Parse(body, glossiwebhook.Sign(body, "whsec_probe"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if ev.Type != glossiwebhook.EventProbe {
		t.Errorf("event type %q, want %q", ev.Type, glossiwebhook.EventProbe)
	}
	if err := v.Verify(body, forgedSignature(body)); err == nil {
		t.Error("the forged signature verifies with the secret")
	}
}

// A receiver that never answers a delivery (it hangs, or crashes, on it) fails the probe, saying
// which delivery got no answer: the signed one, or the forged one after it accepted the signed.
func TestSend_unansweredDeliveryIsAResult(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		hangOn   int32 // the delivery the receiver never answers: 1 the signed, 2 the forged
		err      string
		accepted bool
	}{
		{"hangs on delivery 1", 1, "the signed delivery got no answer", false},
		{"hangs on delivery 2", 2, "the forged delivery got no answer", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			var deliveries atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				if deliveries.Add(1) == tc.hangOn {
					<-release
				}
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) })

			res := New(http.DefaultTransport, "test").Send(context.Background(), srv.URL, "whsec_probe", 200*time.Millisecond)
			if res.Err == nil || !strings.Contains(res.Err.Error(), tc.err) {
				t.Errorf("Err = %v, want %q", res.Err, tc.err)
			}
			unanswered := res.SignedStatus
			if tc.hangOn == 2 {
				unanswered = res.ForgedStatus
			}
			if res.SignatureAccepted() != tc.accepted || res.ForgeryRejected() || unanswered != 0 {
				t.Errorf("a receiver that hangs on delivery %d: %+v", tc.hangOn, res)
			}
		})
	}
}

// Only a 2xx accepts the signature; a 404 or a redirect says that no receiver answered at the
// URL, and no error text shows the URL's credentials or query.
func TestSend_answers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		status   int
		accepted bool
		err      string
	}{
		{"2xx", http.StatusAccepted, true, ""},
		{"5xx", http.StatusInternalServerError, false, ""},
		{"404", http.StatusNotFound, false, "404 Not Found: no receiver answered at that URL"},
		{"redirect", http.StatusFound, false, "302, a redirect to https://REDACTED@login.example.com/sso?REDACTED: no receiver answered at that URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", "https://sso-user:sso-pass@login.example.com/sso?session=tok_location#frag")
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(srv.Close)
			res := New(http.DefaultTransport, "test").Send(context.Background(), srv.URL+"/hook?token=tok_query", "whsec_probe", 5*time.Second)
			if res.SignatureAccepted() != tc.accepted || res.SignedStatus != tc.status {
				t.Errorf("status %d: accepted %t, want %t", res.SignedStatus, res.SignatureAccepted(), tc.accepted)
			}
			if (tc.err == "") != (res.Err == nil) || res.Err != nil && !strings.Contains(res.Err.Error(), tc.err) {
				t.Errorf("Err = %v, want %q", res.Err, tc.err)
			}
			assertRedacted(t, res.Err)
		})
	}
}

func TestSend_errorRedactsURL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // down: the error holds the URL
	url := strings.Replace(srv.URL, "http://", "http://hook-user:hook-pass@", 1) + "/hook?token=tok_query"
	res := New(http.DefaultTransport, "test").Send(context.Background(), url, "whsec_probe", 5*time.Second)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "REDACTED@127.0.0.1") || !strings.Contains(res.Err.Error(), "/hook?REDACTED") {
		t.Fatalf("Err = %v, want the URL with its credentials and query redacted", res.Err)
	}
	assertRedacted(t, res.Err)
}

func assertRedacted(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, secret := range []string{"hook-user", "hook-pass", "sso-user", "sso-pass", "tok_query", "tok_location", "frag"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %s", secret)
		}
	}
}

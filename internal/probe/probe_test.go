package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
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

func TestSend_timeoutIsAResult(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })

	res := New(http.DefaultTransport, "test").Send(context.Background(), slow.URL, "whsec_probe", 50*time.Millisecond)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "the signed delivery got no answer") {
		t.Errorf("Err = %v, want the signed delivery timing out", res.Err)
	}
	if res.SignatureAccepted() || res.ForgeryRejected() || res.SignedStatus != 0 {
		t.Errorf("a receiver that never answers: %+v", res)
	}
}

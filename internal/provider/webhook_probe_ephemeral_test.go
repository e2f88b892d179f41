package provider

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// ephemeralProbeConfig is a webhook and the ephemeral probe of its receiver, signed with the
// webhook's secret plus suffix; withDataSource adds the data source with the same arguments and
// a postcondition that the two report the same.
func ephemeralProbeConfig(receiverURL, suffix string, withDataSource bool) string {
	config := `
resource "glossi_webhook" "test" {
  url    = "` + receiverURL + `"
  events = ["model.processed"]
}

ephemeral "glossi_webhook_probe" "test" {
  url     = glossi_webhook.test.url
  secret  = "${glossi_webhook.test.secret}` + suffix + `"
  timeout = "5s"

  lifecycle {
    postcondition {
      condition     = self.signature_accepted && self.forgery_rejected && self.signed_status == 200 && self.forged_status == 401 && self.latency_ms != null && self.error == null
      error_message = "The receiver did not accept the signed probe and refuse the forged one."
    }
`
	if withDataSource {
		config += `    postcondition {
      condition = (self.signature_accepted == data.glossi_webhook_probe.test.signature_accepted &&
        self.forgery_rejected == data.glossi_webhook_probe.test.forgery_rejected &&
        self.signed_status == data.glossi_webhook_probe.test.signed_status &&
        self.forged_status == data.glossi_webhook_probe.test.forged_status &&
        (self.latency_ms == null) == (data.glossi_webhook_probe.test.latency_ms == null) &&
        self.error == data.glossi_webhook_probe.test.error)
      error_message = "The ephemeral probe and the data source report different results."
    }
`
	}
	config += "  }\n}\n"
	if withDataSource {
		config += `
data "glossi_webhook_probe" "test" {
  url     = glossi_webhook.test.url
  secret  = "${glossi_webhook.test.secret}` + suffix + `"
  timeout = "5s"
}
`
	}
	return config
}

// The ephemeral probe runs during apply and its postcondition holds; the state then holds the
// secret exactly once, the resource's own copy, and no probe. Signed with another secret, it
// reports the data source's results, and its postcondition fails the plan.
func TestWebhookProbeEphemeral_probesWithoutStoringTheSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var probes atomic.Int64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probes.Add(1)
		webhook, ok := env.sandbox.Webhook(testAPIKey)
		v, err := glossiwebhook.NewVerifier(webhook.Secret)
		if !ok || err != nil {
			http.Error(w, "no webhook yet", http.StatusServiceUnavailable)
			return
		}
		v.Middleware(http.NotFoundHandler()).ServeHTTP(w, r) // a verified probe is answered by Middleware itself
	}))
	t.Cleanup(receiver.Close)
	ws := newSandboxWorkspace(t, env, ephemeralProbeConfig(receiver.URL+"/webhooks/glossi", "", false))

	ws.run(t, "apply", "-auto-approve", "-no-color")
	if probes.Load() == 0 {
		t.Fatal("the receiver got no probe: the ephemeral resource was not opened, its postcondition proves nothing")
	}
	state, err := os.ReadFile(filepath.Join(ws.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(state), env.storedWebhook(t).Secret); n != 1 {
		t.Errorf("the state holds the secret %d times, want once (the resource's)", n)
	}
	if addresses := ws.stateAddresses(t); len(addresses) != 1 || strings.Contains(string(state), `"type": "glossi_webhook_probe"`) {
		t.Errorf("the state holds %v and maybe the probe, want only the webhook", addresses)
	}

	ws.writeConfig(t, ephemeralProbeConfig(receiver.URL+"/webhooks/glossi", "-not-it", true))
	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan succeeded with a probe signed with another secret:\n%s", out)
	}
	expectOutput(t, out, "The receiver did not accept the signed probe and refuse the forged one.")
	expectNoOutput(t, out, "report different results")
}

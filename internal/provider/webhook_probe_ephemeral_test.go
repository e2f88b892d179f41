package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// otherSecretProbes are the example's webhook with the ephemeral probe and the data source, both
// signing with another secret than the webhook's, and a postcondition that they report the same.
const otherSecretProbes = `
variable "receiver_url" {
  type = string
}

resource "glossi_webhook" "main" {
  url    = var.receiver_url
  events = ["model.processed", "render.complete"]
}

data "glossi_webhook_probe" "receiver" {
  url     = glossi_webhook.main.url
  secret  = "${glossi_webhook.main.secret}-not-it"
  timeout = "5s"
}

ephemeral "glossi_webhook_probe" "receiver" {
  url     = glossi_webhook.main.url
  secret  = "${glossi_webhook.main.secret}-not-it"
  timeout = "5s"

  lifecycle {
    postcondition {
      condition = (self.signature_accepted == data.glossi_webhook_probe.receiver.signature_accepted &&
        self.forgery_rejected == data.glossi_webhook_probe.receiver.forgery_rejected &&
        self.signed_status == data.glossi_webhook_probe.receiver.signed_status &&
        self.forged_status == data.glossi_webhook_probe.receiver.forged_status &&
        (self.latency_ms == null) == (data.glossi_webhook_probe.receiver.latency_ms == null) &&
        self.error == data.glossi_webhook_probe.receiver.error)
      error_message = "The ephemeral probe and the data source report different results."
    }
    postcondition {
      condition     = self.signature_accepted
      error_message = "The receiver refused the probe signed with another secret, as it should."
    }
  }
}
`

// The example runs the ephemeral probe during apply (Terraform) and in the next plan, and its
// postcondition holds; the state then
// holds the secret exactly once, the resource's own copy, and no probe. Signed with another
// secret, the probe reports what the data source reports, and a postcondition on it fails the
// plan.
func TestWebhookProbeEphemeral_probesWithoutStoringTheSecret(t *testing.T) {
	t.Parallel()
	skipBelowCLIVersion(t, "1.10.0") // ephemeral resources; OpenTofu has them from 1.11
	env := newTestEnv(t, sandbox.Options{})
	receiver := verifyingReceiver(t, func() string {
		webhook, _ := env.sandbox.Webhook(testAPIKey) // none yet: the receiver answers 500
		return webhook.Secret
	})
	ws := newSandboxWorkspace(t, env, readExample(t, "ephemeral-resources/glossi_webhook_probe/ephemeral-resource.tf"))
	ws.withVars("receiver_url=" + receiver.URL)

	ws.run(t, "apply", "-auto-approve", "-no-color")
	afterApply := receiver.deliveries.Load()
	if afterApply == 0 && !underOpenTofu { // OpenTofu 1.12 opens it from the next plan on
		t.Error("Terraform did not probe during the apply that created the webhook")
	}
	ws.run(t, "plan", "-no-color")
	if receiver.deliveries.Load() == afterApply {
		t.Fatal("the plan sent no probe: the ephemeral resource was not opened, its postcondition proves nothing")
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

	ws.writeConfig(t, otherSecretProbes)
	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan succeeded with a probe signed with another secret:\n%s", out)
	}
	expectOutput(t, out, "The receiver refused the probe signed with another secret, as it should.")
	expectNoOutput(t, out, "report different results")
}

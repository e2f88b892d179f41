//go:build terraformlatest

package provider

import (
	"errors"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The glossi_webhook_probe action through the CLI: the on_failure modes (Terraform 1.16+), and
// inputs known only at plan; examples_latest_test.go runs its examples as written. Built with
// -tags terraformlatest: `make testacc-terraform-latest` runs them on Terraform
// CLI_TERRAFORM_LATEST.

// probeReceiver is a verifyingReceiver for the action that verifies with the sandbox's current
// secret of key, as a receiver that reads it from your secrets store would. While refusing is set
// it verifies with another secret, so that it answers everything with 401.
type probeReceiver struct {
	*testReceiver
	refusing atomic.Bool
}

func newProbeReceiver(t *testing.T, env *testEnv, key string) *probeReceiver {
	t.Helper()
	r := &probeReceiver{}
	r.testReceiver = verifyingReceiver(t, func() string {
		if r.refusing.Load() {
			return "whsec_not_the_webhooks_secret"
		}
		webhook, _ := env.sandbox.Webhook(key)
		return webhook.Secret
	})
	return r
}

// on_failure (Terraform 1.16) against a receiver that refuses, on action.tf's trigger: halt
// fails the apply and keeps what was created; taint fails it and marks the delivery resource for
// replacement, so that the next apply delivers the secret and probes again; continue makes the
// failure a warning.
func TestWebhookProbeAction_onFailure(t *testing.T) {
	t.Parallel()
	example := readExample(t, probeActionExamples+"action.tf")
	const trigger = "actions = [action.glossi_webhook_probe.main]\n"
	if !strings.Contains(example, trigger) {
		t.Fatalf("action.tf has no %q", trigger)
	}
	for _, tc := range []struct {
		mode       string
		applyFails bool
		nextPlan   string
	}{
		{"halt", true, ""},
		{"taint", true, "Plan: 1 to add, 0 to change, 1 to destroy."},
		{"continue", false, ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			rcv := newProbeReceiver(t, env, testAPIKey)
			rcv.refusing.Store(true)
			ws := newExampleWorkspace(t, env, strings.Replace(example, trigger, trigger+"on_failure = "+tc.mode+"\n", 1))
			ws.withVars("receiver_url="+rcv.URL, "receiver_secret_dir="+t.TempDir())

			out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
			severity := "Error"
			if !tc.applyFails {
				severity = "Warning"
			}
			if (err != nil) != tc.applyFails || !strings.Contains(out, severity+": Glossi Webhook Receiver Did Not Accept the Signed Probe") {
				t.Errorf("apply: err = %v, want the refused probe as an %s:\n%s", err, strings.ToLower(severity), out)
			}
			if _, ok := env.sandbox.Webhook(testAPIKey); !ok {
				t.Error("the webhook was not created")
			}
			if tc.nextPlan == "" {
				ws.expectNoChanges(t, "a refused probe with on_failure = "+tc.mode)
				return
			}
			plan := ws.run(t, "plan", "-no-color")
			if !strings.Contains(plan, "terraform_data.receiver_secret is tainted, so must be replaced") || !strings.Contains(plan, tc.nextPlan) {
				t.Errorf("the plan after a refused probe with on_failure = taint does not replace the delivery only:\n%s", plan)
			}
		})
	}
}

// An action's inputs from variables reach the plan unvalidated by Terraform: the provider
// refuses them at plan with the validators' words.
func TestWebhookProbeAction_refusesUnusableInputsAtPlan(t *testing.T) {
	t.Parallel()
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + `
variable "url" {
  type = string
}

variable "secret" {
  type      = string
  sensitive = true
}

action "glossi_webhook_probe" "check" {
  config {
    url    = var.url
    secret = var.secret
  }
}
`})
	out, err := ws.tryRun(t, "plan", "-no-color", "-invoke=action.glossi_webhook_probe.check", "-var", "url=gopher://hooks.example.com:70/1", "-var", "secret=")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !expectWords("Error: Invalid URL", `"gopher://hooks.example.com:70/1" is not usable`).MatchString(out) ||
		!expectWords("Error: Invalid Webhook Secret", "the secret is empty").MatchString(out) {
		t.Errorf("plan -invoke with a gopher URL and an empty secret: err = %v, want both refused:\n%s", err, out)
	}
}

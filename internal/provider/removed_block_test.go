package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The removed block of the guide forgets the webhook without deleting it: the account keeps the
// same webhook and secret, the state no longer holds it, and a later plan is empty.
func TestExamples_removedKeepsWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newExampleWorkspace(t, env, readExample(t, "resources/glossi_webhook/resource.tf"))
	ws.run(t, "apply", "-auto-approve", "-no-color")
	applied := env.storedWebhook(t)

	removed := readExample(t, "guides/stop-managing/removed.tf")
	writeFile(t, ws.dir+"/main.tf", removed)
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(out, "0 destroyed") {
		t.Errorf("applying removed.tf does not report 0 destroyed:\n%s", out)
	}
	if after := env.storedWebhook(t); after.ID != applied.ID || after.Secret != applied.Secret || after.URL != applied.URL {
		t.Error("applying removed.tf changed or replaced the webhook")
	}
	if state := ws.stateAddresses(t); slices.Contains(state, "glossi_webhook.main") {
		t.Errorf("glossi_webhook.main is still in the state: %v", state)
	}
	ws.expectNoChanges(t, "removed.tf")
}

package provider

import (
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Warnings never fail a run, so plugin-testing cannot see them: these tests read what the real
// terraform CLI prints.

func TestWebhookResource_planWarnings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, `
resource "glossi_webhook" "test" {
  url    = "http://deploy:hunter2-9c1d@localhost:3000/hooks?token=tok-4b7e0a&team=a"
  events = ["model.processed", "model.archived", "asset.added"]
}
`)
	out := ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Webhook URL Uses Plain HTTP", "use an https URL in production")
	expectOutput(t, out, "Warning: Webhook URL Contains Credentials", "query parameter token, user info")
	expectOutput(t, out, "Warning: Unknown Glossi Event", `"asset.added" and "model.archived" are not among the events`)
	for _, event := range knownEvents {
		expectOutput(t, out, "Unknown Glossi Event", event)
	}
	expectOutput(t, out, "1 to add")
	// Each warning once: Terraform validates twice per plan, so validator warnings doubled.
	for _, summary := range []string{"Webhook URL Uses Plain HTTP", "Webhook URL Contains Credentials", "Unknown Glossi Event"} {
		if n := strings.Count(out, "Warning: "+summary); n != 1 {
			t.Errorf("%q printed %d times, want once", summary, n)
		}
	}
	if strings.Contains(out, "similar warning") {
		t.Errorf("a warning is repeated:\n%s", out)
	}
}

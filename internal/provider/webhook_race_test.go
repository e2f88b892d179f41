package provider

import (
	"slices"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Another configuration writes the webhook right after this create's PUT: the read-back catches
// it, the create fails naming both, and the other writer's webhook is neither recorded nor
// deleted.
func TestWebhookResource_createLosesRaceIsError(t *testing.T) {
	t.Parallel()
	var env *testEnv
	raced := false
	env = newTestEnv(t, sandbox.Options{AfterPut: func(key string) {
		if raced {
			return
		}
		raced = true
		env.sandbox.UpdateWebhook(key, func(w *sandbox.Webhook) { w.URL = "https://other-writer.example.com/hook" })
	}})
	ws := newSandboxWorkspace(t, env, env.config(basicWebhook))
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Errorf("a create another writer overwrote succeeded:\n%s", out)
	}
	expectOutput(t, out, `Another Writer Changed the Glossi Webhook`, `did not record the webhook`)
	if slices.Contains(ws.stateAddresses(t), resourceName) {
		t.Error("the other writer's webhook was recorded in state")
	}
	if w, ok := env.sandbox.Webhook(testAPIKey); !ok || w.URL != "https://other-writer.example.com/hook" {
		t.Errorf("the other writer's webhook must survive; the account has %+v (present %t)", w, ok)
	}
}

package provider

import (
	"fmt"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// replaceOutside deletes the account's webhook and creates another, as someone using the API
// directly would, and returns the new one.
func (e *testEnv) replaceOutside(t *testing.T) sandbox.Webhook {
	t.Helper()
	old := e.storedWebhook(t)
	e.sandbox.DeleteWebhook(testAPIKey)
	return e.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: old.URL, Events: old.Events, Enabled: true})
}

// terraform destroy after the webhook was replaced outside Terraform: its plan warns, naming
// the id Terraform created and the id it is about to delete.
//
// The webhook is replaced between the plan and the apply of a destroy: Delete re-reads it and
// refuses to delete a webhook whose id is not the one in the plan. Nothing is deleted; the next
// apply adopts the replacement, and a destroy then deletes it.
func TestWebhookResource_destroyOfReplaced(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	created := env.storedWebhook(t)
	replacement := env.replaceOutside(t)
	out := ws.run(t, "plan", "-destroy", "-no-color")
	expectOutput(t, out, "Warning: Destroying a Glossi Webhook Terraform Did Not Create",
		fmt.Sprintf("the webhook %q", created.ID), fmt.Sprintf("is now %q", replacement.ID))
	out = ws.run(t, "destroy", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Destroying a Glossi Webhook Terraform Did Not Create", created.ID, replacement.ID)

	ws.run(t, "apply", "-auto-approve", "-no-color")
	ws.run(t, "plan", "-destroy", "-no-color", "-out=tfplan")
	replacement = env.replaceOutside(t)
	env.sandbox.ResetRequests()
	out, err := ws.tryRun(t, "apply", "-no-color", "tfplan")
	if err == nil {
		t.Fatalf("the destroy of another webhook succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Refusing to Delete Another Glossi Webhook", "as in the plan")
	if n := env.sandbox.CountRequests("DELETE"); n != 0 {
		t.Errorf("Delete must not delete another webhook; the API got %d DELETEs", n)
	}
	if w := env.storedWebhook(t); w.ID != replacement.ID {
		t.Errorf("the replacement webhook %q is gone; the account has %q", replacement.ID, w.ID)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	ws.expectNoChanges(t, "adopting the replacement")
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("the sandbox still has a webhook after the destroy of the adopted one")
	}
}

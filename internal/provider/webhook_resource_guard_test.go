package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

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

// A create where the account already has a webhook is refused, and changes nothing. Importing
// an id that is not the account's webhook fails, whether the account has another webhook or
// none. One TestCase: the refused create, the import beside the existing webhook, then, once the
// refusals are checked to have written nothing and the webhook is deleted, the import into an
// account without one.
func TestWebhookResource_createWhenExistsAndImportWrongID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://existing.example.com/hook", Events: []string{"job.complete"}, Enabled: true,
	})
	env.sandbox.ResetRequests()
	importWrongID := resource.TestStep{
		Config:        env.config(basicWebhook),
		ResourceName:  resourceName,
		ImportState:   true,
		ImportStateId: "00000000-0000-4000-8000-000000000000",
		ExpectError:   expectWords(`Cannot Import Glossi Webhook`, `00000000-0000-4000-8000-000000000000`),
	}
	noneExists := importWrongID
	noneExists.PreConfig = func() {
		after := env.storedWebhook(t)
		if after.URL != existing.URL || after.ID != existing.ID || after.Secret != existing.Secret {
			t.Error("the existing webhook was changed by a refused create")
		}
		if got := env.apiCalls(); got["PUT"] != 0 || got["DELETE"] != 0 {
			t.Errorf("a refused create must not write; the API got %s", formatCalls(got))
		}
		env.sandbox.DeleteWebhook(testAPIKey)
	}
	resource.UnitTest(t, testCaseKeeping(
		resource.TestStep{
			Config:      env.config(basicWebhook),
			ExpectError: expectWords(`Glossi Webhook Already Exists`, `terraform import <address> `+existing.ID),
		},
		importWrongID,
		noneExists,
	))
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("importing a wrong id into an account without a webhook created one")
	}
}

// An ambiguous answer to the existence check before a create is never followed by a PUT.
// Through the CLI: an apply an answer, in one workspace.
func TestWebhookResource_ambiguousAnswerBeforeCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, env.config(basicWebhook))
	for _, answer := range ambiguousAnswers {
		env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = answer })
		out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
		if err == nil {
			t.Errorf("a create after the answer %q succeeded:\n%s", answer, out)
		}
		expectOutput(t, out, `Error Creating Glossi Webhook`, `is base_url right?`)
	}
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("the refused creates left a webhook in the account")
	}
	if n := env.sandbox.CountRequests("PUT"); n != 0 {
		t.Errorf("an ambiguous GET must not be followed by a PUT; the API got %d", n)
	}
}

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
		t.Errorf("the other writer's webhook must survive; the account has id %q, url %q (present %t)", w.ID, w.URL, ok)
	}
}

// The delete of a destroy was applied, but every answer was a gateway's 502: the webhook may be
// gone, so the error says so instead of "Terraform deleted nothing", and keeps the state. The next
// destroy finds the webhook gone and empties the state.
func TestWebhookResource_uncertainDeleteSaysTheWebhookMayBeGone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, impatientProvider+basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	env.sandbox.InjectFault(sandbox.Fault{Method: "DELETE", Status: 502, AfterApply: true})

	out, err := ws.tryRun(t, "destroy", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the destroy answered 502 succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Glossi Webhook Delete Outcome Unknown", "may be gone already",
		"Terraform kept it in state", "Run terraform destroy", "502 Bad Gateway")
	expectNoOutput(t, out, "deleted nothing")
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("the sandbox still has the webhook: the delete was not applied, so this test proves less")
	}
	if id, _ := ws.stateAttributes(t)["id"].(string); id == "" {
		t.Error("the uncertain delete dropped the webhook from state")
	}

	env.sandbox.ClearFaults()
	out = ws.run(t, "destroy", "-auto-approve", "-no-color")
	expectOutput(t, out, "Destroy complete!")
}

// The read before a delete fails (refused, or failing after its retries), or the API refuses the
// DELETE itself: the destroy fails with "Error Deleting Glossi Webhook", which says Terraform
// deleted nothing and kept the webhook in state; the webhook stays in the account and in the
// state, and after a failed read no DELETE is sent. In process.
func TestWebhookResource_failedDeleteKeepsTheWebhook(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fault   sandbox.Fault
		deletes int
	}{
		{"the read before it refused", sandbox.Fault{Method: "GET", Status: 400, Message: "bad request"}, 0},
		{"the read before it failing", sandbox.Fault{Method: "GET", Status: 500}, 0},
		{"the delete refused", sandbox.Fault{Method: "DELETE", Status: 403, Message: "forbidden"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newLifecycleCall(t)
			c.env.sandbox.InjectFault(tc.fault)
			got := c.delete(t, webhookLifecycle{}, c.state(t, true))
			got.expect(t, webhookLifecycle{}, "Error Deleting Glossi Webhook")
			if len(got.diags) > 0 && !strings.Contains(got.diags[0].Detail(), "Terraform deleted nothing and kept the webhook in state") {
				t.Errorf("the error does not say the webhook was kept: %s", got.diags[0].Detail())
			}
			if n := c.env.sandbox.CountRequests("DELETE"); n != tc.deletes {
				t.Errorf("the delete sent %d DELETEs, want %d", n, tc.deletes)
			}
			if w := c.env.storedWebhook(t); w.ID != c.webhook.ID {
				t.Errorf("the account's webhook is %q, want %q", w.ID, c.webhook.ID)
			}
		})
	}
}

// The read-back after a create fails: the create itself succeeded, so it stores the webhook and
// its secret, in sync, without an error; the next refresh reads it. In process.
func TestWebhookResource_createSucceedsWhenItsReadBackFails(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	plan := renewing(c.state(t, false))
	plan.ID = types.StringUnknown()
	c.env.sandbox.DeleteWebhook(testAPIKey)
	c.env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Count: 1})    // the existence check is answered
	c.env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 500}) // the read-back never is
	got := c.create(t, plan)
	got.expect(t, webhookLifecycle{})
	created := c.env.storedWebhook(t)
	if got.state.ID.ValueString() != created.ID || got.state.Secret.ValueString() != created.Secret {
		t.Error("the create did not store the webhook it created and its secret")
	}
	expectCalls{c.env, "the create (the existence check, the PUT, the read-back and its retry)", calls(3, 1, 0)}.expect(t)
}

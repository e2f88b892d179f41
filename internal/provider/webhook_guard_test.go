package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

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
func TestWebhookResource_destroyOfReplacedWarns(t *testing.T) {
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
}

// The webhook is replaced between the plan and the apply of a destroy: Delete re-reads it and
// refuses to delete a webhook whose id is not the one in the plan.
func TestWebhookResource_deleteRefusesAnotherWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var replacement sandbox.Webhook
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				Config:  env.config(basicWebhook),
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					planCheckFunc(func() error {
						replacement = env.replaceOutside(t)
						env.sandbox.ResetRequests()
						return nil
					}),
				}},
				ExpectError: expectWords(`Refusing to Delete Another Glossi Webhook`, `as in the plan`),
			},
			{
				// Nothing was deleted; the next run adopts the replacement with a warning.
				PreConfig: func() {
					if n := env.sandbox.CountRequests("DELETE"); n != 0 {
						t.Errorf("Delete must not delete another webhook; the API got %d DELETEs", n)
					}
					if w := env.storedWebhook(t); w.ID != replacement.ID {
						t.Errorf("the replacement webhook %q is gone; the account has %q", replacement.ID, w.ID)
					}
				},
				Config: env.config(basicWebhook),
			},
		},
	})
}

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// ambiguousAnswers are answers that say neither "here is the webhook" nor the API's definite
// "no webhook": what a wrong base_url or a proxy may send.
var ambiguousAnswers = []sandbox.NoWebhookAnswer{sandbox.NoWebhookEmptyBody, sandbox.NoWebhookEmptyObject, sandbox.NoWebhookHTML404}

// A refresh that gets an ambiguous answer fails and keeps the webhook, and its secret, in state.
func TestWebhookResource_ambiguousAnswerKeepsState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	steps := []resource.TestStep{{Config: env.config(basicWebhook)}}
	for _, answer := range ambiguousAnswers {
		var created sandbox.Webhook
		refresh := resource.TestStep{
			PreConfig: func() {
				created = env.storedWebhook(t)
				env.sandbox.DeleteWebhook(testAPIKey)
				env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = answer })
			},
			RefreshState: true,
			ExpectError:  expectWords(`Error Reading Glossi Webhook`, `is base_url right?`, `kept the webhook in state`),
		}
		// The API answers properly again: the webhook never left state. Both plans are empty,
		// and the refreshed state still holds the secret.
		again := planOnlyStep(env.config(basicWebhook))
		again.PreConfig = func() {
			env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = sandbox.NoWebhookNotFound })
			env.sandbox.SetWebhook(testAPIKey, created)
		}
		again.ConfigPlanChecks.PostApplyPostRefresh = []plancheck.PlanCheck{refreshedState{
			statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
		}}
		steps = append(steps, refresh, again)
	}
	env.test(t, steps...)
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

// The definite "no webhook" as JSON null, and the sandbox's root URL pasted as base_url:
// TestAccWebhookResource_afterCreate.

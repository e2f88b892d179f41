package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The create was applied but its answers came too late. A refresh then refused by the API fails,
// and its error speaks of what that state holds (the settings the create sent, no webhook yet),
// not of "the webhook in state". The next apply replaces the webhook the create made (tainted)
// and stores a secret, without an import.
func TestAccWebhookResource_lostCreateAnswerHeals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.test(t,
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      env.impatientConfig(basicWebhook),
			ExpectError: expectWords("Glossi Webhook Create Outcome Unknown", "Run terraform apply again"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 400, Message: "bad request"})
			},
			Config: env.impatientConfig(basicWebhook),
			ExpectError: expectWords("Error Reading Glossi Webhook", "The Glossi API refused the request",
				"Terraform changed nothing: the state still holds only the settings the unanswered create sent"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				env.storedWebhook(t) // the lost create was applied
			},
			Config: env.impatientConfig(basicWebhook),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: append(env.expectSecretInSync(1),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.Null()),
			),
		},
	)
}

// The create's outcome is unknown, and then the account has a webhook with other settings: it is
// not the one Terraform sent, so Terraform leaves it alone and says it exists.
func TestWebhookResource_lostCreateAnswerNeverTouchesOthers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var foreign sandbox.Webhook
	resource.UnitTest(t, testCaseKeeping(
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      env.impatientConfig(basicWebhook),
			ExpectError: expectWords("Glossi Webhook Create Outcome Unknown"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				foreign = env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
					URL: "https://other.example.com/hook", Events: []string{"job.complete"}, Enabled: true,
				})
			},
			Config:      env.impatientConfig(basicWebhook),
			ExpectError: expectWords("Glossi Webhook Already Exists"),
		},
	))
	got := env.storedWebhook(t)
	if got.ID != foreign.ID || got.Secret != foreign.Secret || got.URL != foreign.URL {
		t.Error("Terraform changed a webhook it did not create")
	}
}

// The update whose answer was lost: TestWebhookResource_lostUpdateAnswer. A create or update
// answered without a secret: TestWebhookResource_answerWithoutSecret.

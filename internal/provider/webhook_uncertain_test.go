package provider

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// An answer the client gives up on: every attempt of a PUT is applied, then answered after the
// provider's request_timeout.
var lateAnswer = sandbox.PutFault{AnswerAfter: 3 * time.Second}

// impatientProvider gives up on an answer after 300ms, with one retry.
const impatientProvider = `
provider "glossi" {
  request_timeout = "300ms"
  max_retries     = 1
}
`

// impatientConfig is config with a provider that gives up quickly.
func (e *testEnv) impatientConfig(hcl string) string {
	return fmt.Sprintf(`
provider "glossi" {
  api_key         = %q
  base_url        = %q
  request_timeout = "300ms"
  max_retries     = 1
}
`, testAPIKey, e.baseURL) + hcl
}

// The update was applied (and rotated the secret) but its answers came too late: the apply fails
// saying so, and the next plan updates the webhook although the refreshed settings match.
func TestAccWebhookResource_lostUpdateAnswerHeals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	var first secretRecorder
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            env.impatientConfig(basicWebhook),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), first.record())},
			},
			{
				PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
				Config:      env.impatientConfig(changedWebhook),
				ExpectError: expectWords("Glossi Webhook Update Outcome Unknown", "secret in the Terraform state may now be stale"),
			},
			{
				PreConfig: func() {
					env.sandbox.ClearFaults()
					if env.storedWebhook(t).Secret == first.value {
						t.Error("the sandbox did not apply the update whose answer was lost")
					}
				},
				Config:           env.impatientConfig(changedWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: expectSecretPlanned(true)},
				ConfigStateChecks: append(env.expectSecretInSync(2),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.StringFunc(func(got string) error {
						if got != first.value {
							return errors.New("previous_secret is not the secret stored before the lost update")
						}
						return nil
					})),
				),
			},
			emptyPlanStep(env.impatientConfig(changedWebhook)),
		},
	})
}

// The create was applied but its answers came too late: the next apply replaces the webhook it
// created (tainted) and stores a secret, without an import.
func TestAccWebhookResource_lostCreateAnswerHeals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Create Outcome Unknown", "Run terraform apply again"),
			},
			{
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
			emptyPlanStep(env.impatientConfig(basicWebhook)),
		},
	})
}

// The create's outcome is unknown, and then the account has a webhook with other settings: it is
// not the one Terraform sent, so Terraform leaves it alone and says it exists.
func TestWebhookResource_lostCreateAnswerNeverTouchesOthers(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var foreign sandbox.Webhook
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Create Outcome Unknown"),
			},
			{
				PreConfig: func() {
					env.sandbox.ClearFaults()
					foreign = env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
						URL: "https://other.example.com/hook", Events: []string{"job.complete"}, Enabled: true,
					})
				},
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Already Exists"),
			},
		},
	})
	got := env.storedWebhook(t)
	if got.ID != foreign.ID || got.Secret != foreign.Secret || got.URL != foreign.URL {
		t.Error("Terraform changed a webhook it did not create")
	}
}

// A create answered without a secret stores none; rotate_secret_triggers then gets one.
func TestAccWebhookResource_createAnsweredWithoutSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	nulls := []statecheck.StateCheck{}
	for _, name := range secretAttributes {
		nulls = append(nulls, statecheck.ExpectKnownValue(resourceName, tfjsonpath.New(name), knownvalue.Null()))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig:         func() { env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true}) },
				Config:            env.config(basicWebhook),
				ConfigStateChecks: nulls,
			},
			emptyPlanStep(env.config(basicWebhook)),
			{
				Config:            env.config(rotatedWebhook(1)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned(true)},
				ConfigStateChecks: env.expectSecretInSync(1),
			},
			emptyPlanStep(env.config(rotatedWebhook(1))),
		},
	})
}

// An update answered without a secret keeps the stored one, which here still signs (the API did
// not rotate it), but Terraform cannot know that: the next plan updates again, and its answer's
// secret ends "may be stale".
func TestAccWebhookResource_updateAnsweredWithoutSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook), ConfigStateChecks: env.expectSecretInSync(1)},
			{
				PreConfig:          func() { env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true}) },
				Config:             env.config(changedWebhook),
				ConfigStateChecks:  env.expectSecretInSync(1),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:            env.config(changedWebhook),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned(true)},
				ConfigStateChecks: env.expectSecretInSync(1), // the same secret, now confirmed: version unchanged
			},
			emptyPlanStep(env.config(changedWebhook)),
		},
	})
}

package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const resourceName = "glossi_webhook.test"

const basicWebhook = `
resource "glossi_webhook" "test" {
  url         = "https://hooks.example.com/glossi"
  events      = ["model.processed", "render.complete", "job.failed"]
  description = "acceptance test"
}
`

const changedWebhook = `
resource "glossi_webhook" "test" {
  url     = "https://hooks.example.com/glossi/v2"
  events  = ["render.failed", "model.failed"]
  enabled = false
}
`

// sandboxModes are the behaviours the seed leaves open; the lifecycle must pass under each.
var sandboxModes = map[string]sandbox.Options{
	"default":                {},
	"rotating secret":        {RotateSecretOnUpdate: true},
	"delete 204":             {DeleteNoContent: true},
	"null description":       {EmptyDescriptionAsNull: true},
	"no webhook as null":     {NoWebhookAnswer: sandbox.NoWebhookNull},
	"events reversed by API": {ReverseEvents: true},
	// An API that never returns the secret on update leaves it possibly stale after every update,
	// so its lifecycle differs: TestAccWebhookResource_updateWithoutSecretStaysStale.
}

// secretMatchesSandbox checks a secret in state against the sandbox's without printing either.
func (e *testEnv) secretMatchesSandbox() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		w, ok := e.sandbox.Webhook(testAPIKey)
		switch {
		case !ok:
			return errors.New("the sandbox has no webhook to compare the secret with")
		case w.Secret == "":
			return errors.New("the sandbox's webhook has no secret")
		case got != w.Secret:
			return errors.New("the secret in state is not the one the API issued")
		}
		return nil
	})
}

// secretHashMatchesSandbox checks a hex SHA-256 of the secret against the sandbox's secret.
func (e *testEnv) secretHashMatchesSandbox() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		w, ok := e.sandbox.Webhook(testAPIKey)
		sum := sha256.Sum256([]byte(w.Secret))
		if !ok || got != hex.EncodeToString(sum[:]) {
			return errors.New("the hash in state is not the hash of the secret the API issued")
		}
		return nil
	})
}

// secretRecorder remembers a secret from state so that a later step can say whether it changed.
type secretRecorder struct{ value string }

func (r *secretRecorder) record() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		r.value = got
		return nil
	})
}

func (r *secretRecorder) expectChanged(changed bool) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if (got != r.value) != changed {
			return fmt.Errorf("secret changed = %t, want %t", got != r.value, changed)
		}
		return nil
	})
}

func TestAccWebhookResource_lifecycle(t *testing.T) {
	t.Parallel()
	for name, opts := range sandboxModes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, opts)
			sameID := statecheck.CompareValue(compare.ValuesSame())
			var secret secretRecorder
			rotates := opts.RotateSecretOnUpdate

			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             env.checkDestroyed,
				Steps: []resource.TestStep{
					{
						PreConfig: env.sandbox.ResetRequests,
						Config:    env.config(basicWebhook),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
							plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
							expectCalls{env, "plan of a create", calls(0, 0, 0)},
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							expectCalls{env, "create", calls(2, 1, 0)},
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi")),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
								knownvalue.StringExact("job.failed"), knownvalue.StringExact("model.processed"), knownvalue.StringExact("render.complete"),
							})),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("acceptance test")),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.record()),
							statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("secret")),
							sameID.AddStateValue(resourceName, tfjsonpath.New("id")),
						},
					},
					{
						// Re-plan: one GET, nothing to do.
						PreConfig: env.sandbox.ResetRequests,
						Config:    env.config(basicWebhook),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
							expectCalls{env, "refresh", calls(1, 0, 0)},
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							expectCalls{env, "apply of an empty plan", calls(0, 0, 0)},
							// The refresh kept the secret, although GET never returns it.
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
						},
					},
					{
						PreConfig: env.sandbox.ResetRequests,
						Config:    env.config(changedWebhook),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
							plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
							expectCalls{env, "refresh before an update", calls(1, 0, 0)},
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							expectCalls{env, "update", calls(0, 1, 0)},
							sameID.AddStateValue(resourceName, tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi/v2")),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.expectChanged(rotates)),
						},
					},
					emptyPlanStep(env.config(changedWebhook)),
					{
						ResourceName:            resourceName,
						ImportState:             true,
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: secretAttributes, // the API never returns the secret on GET
					},
					emptyPlanStep(env.config(changedWebhook)),
					{
						PreConfig: env.sandbox.ResetRequests,
						Config:    env.config(changedWebhook),
						Destroy:   true,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							expectCalls{env, "refresh before destroy", calls(1, 0, 0)},
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							expectCalls{env, "destroy (a re-read, then the DELETE)", calls(1, 0, 1)},
						},
					},
				},
			})
		})
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestAccWebhookResource_eventOrderNeverDiffs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				// The same events in another order, and the API answering in yet another.
				PreConfig: func() { env.sandbox.SetOptions(func(o *sandbox.Options) { o.ReverseEvents = true }) },
				Config:    env.config(strings.Replace(basicWebhook, `["model.processed", "render.complete", "job.failed"]`, `["job.failed", "model.processed", "render.complete"]`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

func TestAccWebhookResource_descriptionNoneNeverDiffs(t *testing.T) {
	t.Parallel()
	for _, asNull := range []bool{false, true} {
		t.Run(fmt.Sprintf("api returns null: %t", asNull), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{EmptyDescriptionAsNull: asNull})
			for _, description := range []string{``, `description = ""`} {
				hcl := fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]
  %s
}
`, description)
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: protoV6ProviderFactories,
					CheckDestroy:             env.checkDestroyed,
					Steps: []resource.TestStep{
						{Config: env.config(hcl)},
						emptyPlanStep(env.config(hcl)),
					},
				})
			}
		})
	}
}

const webhookFeedingOthers = `
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]

  rotate_secret_triggers = {
    rotation = var.rotation
  }
}

variable "rotation" {
  type    = string
  default = "1"
}

# Hashed: terraform_data shows its prior output in clear text in a plan, sensitive or not.
resource "terraform_data" "consumer" {
  input = sha256(glossi_webhook.test.secret)
}

output "webhook_secret" {
  value     = glossi_webhook.test.secret
  sensitive = true
}
`

func TestAccWebhookResource_secretFlowsToOtherResources(t *testing.T) {
	t.Parallel()
	for name, rotate := range map[string]bool{"rotating": true, "not rotating": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: rotate})
			var secret secretRecorder
			secretChecks := func(extra ...statecheck.StateCheck) []statecheck.StateCheck {
				return append([]statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
					statecheck.ExpectKnownValue("terraform_data.consumer", tfjsonpath.New("output"), env.secretHashMatchesSandbox()),
					statecheck.ExpectKnownOutputValue("webhook_secret", env.secretMatchesSandbox()),
					statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("secret")),
				}, extra...)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             env.checkDestroyed,
				Steps: []resource.TestStep{
					{
						Config:            env.config(webhookFeedingOthers),
						ConfigStateChecks: secretChecks(statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.record())),
					},
					{
						// Changing the triggers PUTs again; the consumers follow the new secret.
						PreConfig: env.sandbox.ResetRequests,
						Config:    strings.Replace(env.config(webhookFeedingOthers), `default = "1"`, `default = "2"`, 1),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
							resetCalls{env},
						}},
						ConfigStateChecks: secretChecks(
							expectCalls{env, "rotation", calls(0, 1, 0)},
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.expectChanged(rotate)),
						),
					},
				},
			})
		})
	}
}

func TestAccWebhookResource_outOfBandChangeRepaired(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				PreConfig: func() {
					env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) {
						w.URL = "https://attacker.example.net/steal"
						w.Enabled = false
						w.Events = []string{"render.failed"}
					})
				},
				Config: env.config(basicWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi")),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
				},
			},
		},
	})
	// A destroyed webhook cannot be inspected; the repair is checked through the state above and here.
}

func TestAccWebhookResource_outOfBandRepairReachesAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				PreConfig: func() {
					env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.URL = "https://attacker.example.net/steal" })
				},
				Config: env.config(basicWebhook),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					if got := env.storedWebhook(t).URL; got != "https://hooks.example.com/glossi" {
						return fmt.Errorf("the API's webhook URL is %q after the repair", got)
					}
					return nil
				})},
			},
		},
	})
}

func TestAccWebhookResource_replacedOutsideTerraform(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	var oldID string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				// Someone deletes the webhook and creates the same one again: new id, new secret.
				PreConfig: func() {
					old := env.storedWebhook(t)
					oldID = old.ID
					env.sandbox.DeleteWebhook(testAPIKey)
					old.ID, old.Secret = "", ""
					env.sandbox.SetWebhook(testAPIKey, old)
				},
				Config: env.config(basicWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
						if id == oldID || id != env.storedWebhook(t).ID {
							return fmt.Errorf("state id %q: want the new webhook's id", id)
						}
						return nil
					})),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
				},
			},
			emptyPlanStep(env.config(basicWebhook)),
		},
	})
}

func TestAccWebhookResource_outOfBandDeletePlansCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				PreConfig: func() { env.sandbox.DeleteWebhook(testAPIKey) },
				Config:    env.config(basicWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
				},
			},
		},
	})
}

func TestWebhookResource_createWhenExists(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://existing.example.com/hook", Events: []string{"job.complete"}, Enabled: true,
	})
	env.sandbox.ResetRequests()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.config(basicWebhook),
				ExpectError: expectWords(`Glossi Webhook Already Exists`, `terraform import glossi_webhook.<name> `+existing.ID),
			},
		},
	})
	after := env.storedWebhook(t)
	if after.URL != existing.URL || after.ID != existing.ID || after.Secret != existing.Secret {
		t.Error("the existing webhook was changed by a refused create")
	}
	if got := env.apiCalls(); got["PUT"] != 0 || got["DELETE"] != 0 {
		t.Errorf("a refused create must not write; the API got %s", formatCalls(got))
	}
}

func TestAccWebhookResource_importByBlock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				Config:          env.config(basicWebhook),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				// ImportStateVerify does not apply to import blocks: the plan of the import is checked
				// instead, and plugin-testing fails the step unless that plan is a no-op import.
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi")),
					plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("acceptance test")),
					plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), knownvalue.Null()),
				}},
			},
			emptyPlanStep(env.config(basicWebhook)),
		},
	})
}

func TestAccWebhookResource_importGenerateConfig(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				// Terraform writes the resource block from the imported state; the import must plan no change.
				Config:          env.providerBlock(),
				ResourceName:    resourceName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
		},
	})
}

// An existing webhook is imported, then rotate_secret_triggers fetches a secret for it.
func TestAccWebhookResource_importExistingThenGetSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"model.processed", "render.complete", "job.failed"},
		Enabled: true, Description: ptr("acceptance test"),
	})
	withTriggers := strings.Replace(basicWebhook, `description = "acceptance test"`,
		"description = \"acceptance test\"\n  rotate_secret_triggers = { rotation = \"1\" }", 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:             env.config(basicWebhook),
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStateId:      existing.ID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != existing.ID {
						return fmt.Errorf("want one imported webhook with id %s", existing.ID)
					}
					if _, has := states[0].Attributes["secret"]; has {
						return errors.New("an imported webhook must have no secret: GET never returns one")
					}
					return nil
				},
			},
			{
				Config: env.config(basicWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), knownvalue.Null()),
				},
			},
			{
				Config: env.config(withTriggers),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
				},
			},
		},
	})
}

func TestWebhookResource_importWrongID(t *testing.T) {
	t.Parallel()
	for name, create := range map[string]bool{"another webhook exists": true, "no webhook": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			if create {
				env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true})
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:        env.config(basicWebhook),
						ResourceName:  resourceName,
						ImportState:   true,
						ImportStateId: "00000000-0000-4000-8000-000000000000",
						ExpectError:   expectWords(`Cannot Import Glossi Webhook`, `00000000-0000-4000-8000-000000000000`),
					},
				},
			})
		})
	}
}

func TestAccWebhookResource_destroyWhenAlreadyGone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				// The webhook disappears between plan and apply: Delete's re-read finds none, done.
				Config:  env.config(basicWebhook),
				Destroy: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					planCheckFunc(func() error {
						env.sandbox.DeleteWebhook(testAPIKey)
						env.sandbox.ResetRequests()
						return nil
					}),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectCalls{env, "destroy of a vanished webhook", calls(1, 0, 0)},
				},
			},
		},
	})
}

type stateCheckFunc func() error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

func ptr[T any](v T) *T { return &v }

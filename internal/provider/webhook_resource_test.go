package provider

import (
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

// sandboxModes are the behaviours the seed leaves open; the lifecycle must pass under each. The
// other answers each change one answer the lifecycle meets, at a different point, so one
// lifecycle meets them all: the existence check before the create gets JSON null for "no
// webhook", the create's and the update's answers list the events reversed, the update rotates
// the secret and answers the description it no longer has as null, and the destroy's DELETE
// answers 204 (met only here). The others are met alone elsewhere too (rotation:
// TestWebhookResource_secretFlowsToOtherResources; reversed events, and null for a deleted
// webhook: TestWebhookResource_afterCreate; a null description:
// TestWebhookResource_descriptionNoneNeverDiffs).
var sandboxModes = map[string]sandbox.Options{
	"default": {},
	"every other answer": {
		RotateSecretOnUpdate:   true,
		DeleteNoContent:        true,
		EmptyDescriptionAsNull: true,
		NoWebhookAnswer:        sandbox.NoWebhookNull,
		ReverseEvents:          true,
	},
	// An API that never returns the secret on update leaves it possibly stale after every update,
	// so its lifecycle differs: TestWebhookResource_secretOnlyOnCreateReplaceConverges.
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

			tc := env.testCase(
				resource.TestStep{
					PreConfig: env.sandbox.ResetRequests,
					Config:    env.config(basicWebhook),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
							plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
							expectCalls{env, "plan of a create", calls(0, 0, 0)},
						},
						// After the apply, plugin-testing plans twice, without and with refresh, and
						// fails unless both plans are empty: nothing to do, for one GET, and the
						// refresh kept the secret although GET never returns it.
						PostApplyPostRefresh: []plancheck.PlanCheck{
							expectCalls{env, "the plans after the create, the second refreshing", calls(1, 0, 0)},
							refreshedState{statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox())},
						},
					},
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
				resource.TestStep{
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
					// The plans after the apply, which plugin-testing fails unless empty, show the
					// update leaves nothing to do.
				},
				resource.TestStep{
					ResourceName:            resourceName,
					ImportState:             true,
					ImportStateVerify:       true,
					ImportStateVerifyIgnore: secretAttributes, // the API never returns the secret on GET
				},
				resource.TestStep{
					// After the import, nothing to do: the plan without refresh calls the API not
					// at all, the one with refresh once.
					PreConfig: env.sandbox.ResetRequests,
					Config:    env.config(changedWebhook),
					PlanOnly:  true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						expectCalls{env, "plans after the import, the second refreshing", calls(1, 0, 0)},
					}},
				},
			)
			// plugin-testing's destroy after the last step (terraform destroy -refresh=false):
			// Delete re-reads the webhook, then deletes it.
			tc.CheckDestroy = func(state *terraform.State) error {
				if err := (expectCalls{env, "destroy (a re-read, then the DELETE)", calls(1, 0, 1)}).check(); err != nil {
					return err
				}
				return env.checkDestroyed(state)
			}
			resource.UnitTest(t, tc)
		})
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// One webhook, created once, meets in turn what may happen to a webhook Terraform manages. Each
// step starts from the webhook as configured and in sync, so its assertions stand alone.
func TestWebhookResource_afterCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	root := strings.TrimSuffix(env.baseURL, "/api/v1")
	env.test(t,
		resource.TestStep{Config: env.config(basicWebhook)},
		resource.TestStep{
			// Imported by an import block.
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
		resource.TestStep{
			// Imported with generated configuration: Terraform writes the resource block from
			// the imported state; the import must plan no change.
			Config:          env.providerBlock(),
			ResourceName:    resourceName,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			GenerateConfig:  true,
		},
		planOnlyStep(env.config(basicWebhook)),
		resource.TestStep{
			// The same events in another order, and the API answering in yet another: no diff.
			PreConfig: func() { env.sandbox.SetOptions(func(o *sandbox.Options) { o.ReverseEvents = true }) },
			Config:    env.config(strings.Replace(basicWebhook, `["model.processed", "render.complete", "job.failed"]`, `["job.failed", "model.processed", "render.complete"]`, 1)),
			PlanOnly:  true,
		},
		resource.TestStep{
			// Changed outside Terraform: the plan repairs it, in state and in the API.
			PreConfig: func() {
				env.sandbox.SetOptions(func(o *sandbox.Options) { o.ReverseEvents = false })
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
				stateCheckFunc(func() error {
					w := env.storedWebhook(t)
					if w.URL != "https://hooks.example.com/glossi" || !w.Enabled || len(w.Events) != 3 {
						return fmt.Errorf("the API's webhook after the repair: url %q, enabled %t, events %v", w.URL, w.Enabled, w.Events)
					}
					return nil
				}),
			},
		},
		resource.TestStep{
			// Deleted outside Terraform (the API answers 404): the plan creates it again.
			PreConfig: func() { env.sandbox.DeleteWebhook(testAPIKey) },
			Config:    env.config(basicWebhook),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
			},
		},
		resource.TestStep{
			// Deleted outside Terraform, and the API's definite "no webhook" is JSON null: the
			// refresh removes the resource from state, as for a 404.
			PreConfig: func() {
				env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = sandbox.NoWebhookNull })
				env.sandbox.DeleteWebhook(testAPIKey)
			},
			Config: env.config(basicWebhook),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
			}},
		},
		resource.TestStep{
			// The sandbox's root URL pasted as base_url: every call meets the router's 404, which is
			// not "no webhook". The refresh fails and state keeps the webhook...
			PreConfig: func() {
				env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = sandbox.NoWebhookNotFound })
			},
			Config:      fmt.Sprintf("provider \"glossi\" {\n  api_key  = %q\n  base_url = %q\n}\n%s", testAPIKey, root, basicWebhook),
			ExpectError: expectWords(`Error Reading Glossi Webhook`, `is base_url right?`, `router's plain-text 404`),
		},
		// ...so that the right URL plans nothing.
		planOnlyStep(env.config(basicWebhook)),
		resource.TestStep{
			// The webhook disappears between plan and apply of the destroy: Delete's re-read finds
			// none, done.
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
	)
}

package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// secret_recipients set on an imported webhook, whose secret the state does not hold: the plan
// changes only secret_recipients (no secret is fetched, so the secret's attributes stay null),
// and its apply records them without a request, on an API that would rotate the secret on update,
// and leaves the lifecycle as it was. In process.
func TestWebhookResource_recipientsSetAfterImportOnlyRecorded(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	c.env.sandbox.SetOptions(func(o *sandbox.Options) { o.RotateSecretOnUpdate = true })
	imported := webhookLifecycle{State: lifecycleNoSecret, Imported: true}
	state := c.state(t, false)
	configured := state
	_, configured.SecretRecipients = newRecipient(t)

	planned, diags := c.modifyPlan(t, imported, renewing(configured), state)
	if len(diags) > 0 || !c.sameModel(t, planned, configured) {
		t.Fatalf("the plan changes more than secret_recipients (secret_version %s, secret_ciphertext %s), or warns: %v",
			planned.SecretVersion, redacted(planned.SecretCiphertext), diags)
	}
	got := c.update(t, imported, planned, state)
	got.expect(t, imported)
	if n := len(c.env.sandbox.Requests()); n > 0 || c.env.storedWebhook(t).Secret != c.webhook.Secret {
		t.Errorf("the apply sent %d requests, or the secret rotated; want none", n)
	}
	if !c.sameModel(t, got.state, planned) {
		t.Error("the apply did not store the plan as it was")
	}
}

// An update whose answer holds a secret that cannot be encrypted to secret_recipients errs and
// stores none: secret_version does not move, nothing stays in plaintext, and the lifecycle says
// the secret may be stale rather than in sync, so the next plan asks for it again. In process.
func TestWebhookResource_updateWithUnencryptableSecretNotInSync(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	c.env.sandbox.SetOptions(func(o *sandbox.Options) { o.RotateSecretOnUpdate = true })
	state := c.state(t, true)
	got := c.update(t, webhookLifecycle{}, renewing(state.withRecipients(unencryptableRecipients())), state)
	got.expect(t, webhookLifecycle{State: lifecycleSecretMayBeStale}, "Error Encrypting Glossi Webhook Secret")
	if !got.state.SecretVersion.Equal(state.SecretVersion) || got.state.hasSecret() || !got.state.SecretFingerprint.IsNull() {
		t.Errorf("secret_version %s (want %s), a secret or a fingerprint kept: the state claims a secret it does not hold",
			got.state.SecretVersion, state.SecretVersion)
	}
}

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

// A webhook in state whose account was removed from api_keys: the refresh stops with the error
// that names the account and the ways out, before any request, and the state keeps the webhook
// and its secret. In process.
func TestWebhookResource_refreshOfAccountGoneFromAPIKeysStops(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t) // the provider configures api_key's account only
	state := c.state(t, true)
	state.Account = types.StringValue("staging")
	got := c.read(t, webhookLifecycle{}, state)
	got.expect(t, webhookLifecycle{}, "Unknown Glossi Account")
	if len(got.diags) > 0 && !strings.Contains(got.diags[0].Detail(), `The webhook in the state belongs to the account "staging"`) {
		t.Errorf("the error does not name the account in the state: %s", got.diags[0].Detail())
	}
	if n := len(c.env.sandbox.Requests()); n != 0 {
		t.Errorf("the refresh sent %d requests, want none", n)
	}
	if got.state.ID.ValueString() != c.webhook.ID || got.state.Secret.ValueString() != c.webhook.Secret {
		t.Error("the refresh changed the webhook in state")
	}
}

// A private state this version cannot read (here a lifecycle state a newer version wrote): the
// refresh refuses it with "Unreadable Glossi Webhook Private State" rather than guess, before any
// request, and leaves the state and the private state as they were. In process.
func TestWebhookResource_refreshRefusesUnreadablePrivateState(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	state := c.state(t, true)
	newer := webhookLifecycle{State: "rotating"}
	got := c.read(t, newer, state)
	if len(got.diags) != 1 || got.diags[0].Summary() != "Unreadable Glossi Webhook Private State" ||
		!strings.Contains(got.diags[0].Detail(), `the state "rotating", which this version does not know`) {
		t.Errorf("got %v, want the unreadable private state error naming the state", got.diags)
	}
	if n := len(c.env.sandbox.Requests()); n != 0 {
		t.Errorf("the refresh sent %d requests, want none", n)
	}
	raw, _ := got.private.GetKey(t.Context(), privateLifecycle)
	if want, _ := json.Marshal(newer); got.removed || !c.sameModel(t, got.state, state) || string(raw) != string(want) {
		t.Errorf("the refresh changed the state, or the private state to %s", raw)
	}
}

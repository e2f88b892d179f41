package provider

import (
	"strings"
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

// JSON 404s that are not the API's "no webhook" (a wrong base path answered by a router,
// a gateway or a framework) never empty the state, neither on refresh nor on destroy, and the
// destroy shows the base-path warning.
func TestWebhookResource_stray404KeepsState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	wrongPath := "GLOSSI_BASE_URL=" + strings.TrimSuffix(env.baseURL, "/v1")
	for _, stray := range []sandbox.StrayNotFound{sandbox.StrayNotFoundBareJSON, sandbox.StrayNotFoundGateway, sandbox.StrayNotFoundFramework} {
		env.sandbox.SetOptions(func(o *sandbox.Options) { o.StrayNotFound = stray })
		out, err := ws.tryRunWith(t, []string{wrongPath}, "plan", "-no-color")
		if err == nil {
			t.Fatalf("%s: the plan against a wrong base path succeeded:\n%s", stray, out)
		}
		expectOutput(t, out, "Error: Error Reading Glossi Webhook", "is base_url right?", "kept the webhook in state",
			"does not say the webhook is missing")
	}
	out, err := ws.tryRunWith(t, []string{wrongPath}, "destroy", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the destroy against a wrong base path succeeded:\n%s", out)
	}
	expectOutput(t, out, "Warning: Unusual Glossi Base URL Path", `has the path "/api"`)
	expectOutput(t, out, "Error: Error Reading Glossi Webhook", "kept the webhook in state")
	if strings.Contains(out, "Destroy complete") {
		t.Errorf("terraform reported a destroy:\n%s", out)
	}
	if got := ws.stateSecret(t); got == "" || got != env.storedWebhook(t).Secret {
		t.Error("the state's secret is not the sandbox's after the failed refresh and destroy")
	}
}

// The definite "no webhook" as JSON null, and the sandbox's root URL pasted as base_url, are steps
// of TestWebhookResource_afterCreate (webhook_resource_test.go).

// The read that completes an import fails, after its retries or refused: the import fails with
// "Error Importing Glossi Webhook", which says nothing was imported, reads nothing into the state
// and writes nothing. In process, from what ImportState left.
func TestWebhookResource_importReadFailureImportsNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault sandbox.Fault
		gets  int // the read's attempts: a 503 is retried once, a 401 never
	}{
		{"the API failing", sandbox.Fault{Method: "GET", Status: 503}, 2},
		{"the key refused", sandbox.Fault{Method: "GET", Status: 401}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newLifecycleCall(t)
			imported := importState(t, c.r.accounts, c.webhook.ID)
			var state webhookResourceModel
			imported.Diagnostics.Append(imported.State.Get(t.Context(), &state)...)
			requested, diags := loadLifecycle(t.Context(), imported.Private, state.ID)
			if imported.Diagnostics.Append(diags...); imported.Diagnostics.HasError() {
				t.Fatal(imported.Diagnostics)
			}
			c.env.sandbox.InjectFault(tc.fault)
			got := c.read(t, requested, state)
			got.expect(t, requested, "Error Importing Glossi Webhook")
			if len(got.diags) > 0 && !strings.Contains(got.diags[0].Detail(), "Nothing was imported.") {
				t.Errorf("the error does not say nothing was imported: %s", got.diags[0].Detail())
			}
			if !got.state.URL.IsNull() {
				t.Errorf("the failed import read url %s into the state", got.state.URL)
			}
			expectCalls{c.env, "the import (its read, and no write)", calls(tc.gets, 0, 0)}.expect(t)
		})
	}
}

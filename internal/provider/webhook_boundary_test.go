package provider

import (
	"fmt"
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
	for _, answer := range ambiguousAnswers {
		t.Run(string(answer), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			var created sandbox.Webhook
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             env.checkDestroyed,
				Steps: []resource.TestStep{
					{Config: env.config(basicWebhook)},
					{
						PreConfig: func() {
							created = env.storedWebhook(t)
							env.sandbox.DeleteWebhook(testAPIKey)
							env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = answer })
						},
						RefreshState: true,
						ExpectError:  expectWords(`Error Reading Glossi Webhook`, `is base_url right?`, `kept the webhook in state`),
					},
					{
						// The API answers properly again: the webhook never left state.
						PreConfig: func() {
							env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = sandbox.NoWebhookNotFound })
							env.sandbox.SetWebhook(testAPIKey, created)
						},
						Config: env.config(basicWebhook),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
						},
					},
				},
			})
		})
	}
}

// An ambiguous answer to the existence check before a create is never followed by a PUT.
func TestWebhookResource_ambiguousAnswerBeforeCreate(t *testing.T) {
	t.Parallel()
	for _, answer := range ambiguousAnswers {
		t.Run(string(answer), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{NoWebhookAnswer: answer})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.config(basicWebhook),
					ExpectError: expectWords(`Error Creating Glossi Webhook`, `is base_url right?`),
				}},
			})
			if n := env.sandbox.CountRequests("PUT"); n != 0 {
				t.Errorf("an ambiguous GET must not be followed by a PUT; the API got %d", n)
			}
		})
	}
}

// The definite "no webhook" as JSON null removes the resource from state, as a 404 does.
func TestWebhookResource_nullMeansDeleted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{NoWebhookAnswer: sandbox.NoWebhookNull})
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
			},
		},
	})
}

// The sandbox's root URL pasted as base_url: every call meets the router's 404, which is not
// "no webhook". The refresh fails, state keeps the webhook, and the right URL plans nothing.
func TestWebhookResource_baseURLWithoutAPIPath(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	root := strings.TrimSuffix(env.baseURL, "/api/v1")
	wrong := fmt.Sprintf("provider \"glossi\" {\n  api_key  = %q\n  base_url = %q\n}\n%s", testAPIKey, root, basicWebhook)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				Config:      wrong,
				ExpectError: expectWords(`Error Reading Glossi Webhook`, `is base_url right?`, `router's plain-text 404`),
			},
			emptyPlanStep(env.config(basicWebhook)),
		},
	})
}

package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Warnings never fail a run, so plugin-testing cannot see them: these tests read what the real
// terraform CLI prints.

const cliRequiredProviders = `
terraform {
  required_providers {
    glossi = { source = "glossi/glossi" }
  }
}
`

func newSandboxWorkspace(t *testing.T, env *testEnv, config string) *cliWorkspace {
	t.Helper()
	return newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + config},
		"GLOSSI_API_KEY="+testAPIKey, "GLOSSI_BASE_URL="+env.baseURL)
}

func expectOutput(t *testing.T, out string, phrases ...string) {
	t.Helper()
	if !expectWords(phrases...).MatchString(out) {
		t.Errorf("terraform's output lacks %q:\n%s", phrases, out)
	}
}

func TestWebhookResource_planWarnings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, `
resource "glossi_webhook" "test" {
  url    = "http://deploy:hunter2-9c1d@localhost:3000/hooks?token=tok-4b7e0a&team=a"
  events = ["model.processed", "model.archived", "asset.added"]
}
`)
	out := ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Webhook URL Uses Plain HTTP", "use an https URL in production")
	expectOutput(t, out, "Warning: Webhook URL Contains Credentials", "query parameter token, user info")
	expectOutput(t, out, "Warning: Unknown Glossi Event", `"asset.added" and "model.archived" are not among the events`)
	for _, event := range knownEvents {
		expectOutput(t, out, "Unknown Glossi Event", event)
	}
	expectOutput(t, out, "1 to add")
	// Each warning once: Terraform validates twice per plan, so validator warnings doubled.
	for _, summary := range []string{"Webhook URL Uses Plain HTTP", "Webhook URL Contains Credentials", "Unknown Glossi Event"} {
		if n := strings.Count(out, "Warning: "+summary); n != 1 {
			t.Errorf("%q printed %d times, want once", summary, n)
		}
	}
	if strings.Contains(out, "similar warning") {
		t.Errorf("a warning is repeated:\n%s", out)
	}
}

func TestWebhookResource_importWarnsSecretIsNull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://a.example.com/hook", Events: []string{"job.complete"}, Enabled: true})
	ws := newSandboxWorkspace(t, env, `
resource "glossi_webhook" "test" {
  url    = "https://a.example.com/hook"
  events = ["job.complete"]
}
`)
	out := ws.run(t, "import", "-no-color", "glossi_webhook.test", existing.ID)
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Available After Import", "set rotate_secret_triggers")
}

func TestWebhookResource_replacedOutsideWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	old := env.storedWebhook(t)
	env.sandbox.DeleteWebhook(testAPIKey)
	replacement := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: old.URL, Events: old.Events, Enabled: old.Enabled, Description: old.Description,
	})

	out := ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Replaced Outside Terraform", fmt.Sprintf("now has id %q instead of %q", replacement.ID, old.ID))
	expectOutput(t, out, "1 to change")
	if strings.Contains(out, replacement.Secret) || strings.Contains(out, old.Secret) {
		t.Error("the plan shows a secret")
	}
}

// The webhook vanishes between plan and apply of an update: the PUT creates a new one. The user
// is told, and the state holds the new webhook and its secret, so the next plan is empty.
func TestWebhookResource_replacedDuringApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: env.config(basicWebhook)},
			{
				Config: env.config(changedWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					planCheckFunc(func() error {
						env.sandbox.DeleteWebhook(testAPIKey)
						return nil
					}),
				}},
				ExpectError: regexp.MustCompile(`Glossi Webhook Replaced During Apply`),
			},
			{
				Config: env.config(changedWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi/v2")),
				},
			},
		},
	})
}

// After an update whose answer was lost, the plan says why it updates the webhook.
func TestWebhookResource_lostUpdateAnswerWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	ws := newSandboxWorkspace(t, env, impatientProvider+basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	writeFile(t, filepath.Join(ws.dir, "main.tf"), cliRequiredProviders+impatientProvider+changedWebhook)
	env.sandbox.InjectPutFault(lateAnswer)
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the apply whose answers were lost succeeded:\n%s", out)
	}
	env.sandbox.ClearFaults()
	out = ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale", "an update's outcome was unknown")
	expectOutput(t, out, "1 to change")
}

// A create or update answered without a secret says what the state holds and how to get one.
func TestWebhookResource_answerWithoutSecretWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 2, OmitSecret: true})
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "created the webhook",
		"secret in the Terraform state is unknown (null)", "set rotate_secret_triggers")

	writeFile(t, filepath.Join(ws.dir, "main.tf"), cliRequiredProviders+changedWebhook)
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "updated the webhook",
		"secret in the Terraform state is unchanged and may be stale", "terraform apply -replace=<address>")
}

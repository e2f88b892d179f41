package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const mixedCaseURLWebhook = `
resource "glossi_webhook" "test" {
  url    = "https://Hooks.Example.com"
  events = ["model.processed", "job.failed"]
}
`

// The API answers the URL normalised (host in lower case, a trailing slash), the events in
// another order, and on GET each of them twice: the configured value stays, nothing is tainted,
// and the next plans are empty (plugin-testing plans after each apply, without and with
// refresh, and fails the step unless the plan is empty), so the events listed twice break no
// plan with "Duplicate Set Element": neither the resource's refresh nor the data source's read,
// which waits for the create and is read again by each plan after it.
func TestWebhookResource_normalizedAndDuplicatedAnswersKeepConfig(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{NormalizeURL: true, ReverseEvents: true, DuplicateEvents: true})
	env.test(t,
		resource.TestStep{
			Config: env.config(mixedCaseURLWebhook + `
data "glossi_webhook" "test" {
  depends_on = [glossi_webhook.test]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://Hooks.Example.com")),
				stateCheckFunc(func() error {
					if got := env.storedWebhook(t).URL; got != "https://hooks.example.com/" {
						return errors.New("the sandbox did not normalise the URL: " + got)
					}
					return nil
				}),
				statecheck.ExpectKnownValue("data.glossi_webhook.test", tfjsonpath.New("events"), knownvalue.SetSizeExact(2)),
			},
		},
	)
}

// An update whose answer really differs (an event dropped) is an error naming the attribute and
// both values, never "Provider produced inconsistent result", and the resource is not tainted.
func TestWebhookResource_apiChangedValueIsClearError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{DropLastEvent: true})
	one := `
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]
}
`
	two := strings.Replace(one, `["model.processed"]`, `["model.processed", "render.failed"]`, 1)
	errs := &expectedErrors{
		patterns: []*regexp.Regexp{
			expectWords(`Glossi API Changed Webhook Events`, `stored events as`, `not the configured`, `render.failed`),
			expectWords(`Glossi API Changed Webhook Events`),
		},
		reject: func(msg string) error {
			if strings.Contains(msg, "inconsistent result") {
				return errors.New("the framework's inconsistent-result error surfaced: " + msg)
			}
			return nil
		},
	}
	tc := env.testCase(
		resource.TestStep{Config: env.config(one)},
		resource.TestStep{Config: env.config(two)}, // errs.patterns[0]
		resource.TestStep{
			// Not tainted: the next plan updates in place, never replaces.
			Config: env.config(two), // errs.patterns[1]
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
			}},
		},
	)
	tc.ErrorCheck = errs.check
	resource.UnitTest(t, tc)
	errs.expectAllSeen(t)
}

func TestEquivalentURLs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want bool
	}{
		{"https://Hooks.Example.com", "https://hooks.example.com/", true},
		{"https://hooks.example.com/g/", "https://hooks.example.com/g", true},
		{"HTTPS://hooks.example.com:443/g", "https://hooks.example.com/g", true},
		{"https://hooks.example.com:8443/g", "https://hooks.example.com/g", false},
		{"https://hooks.example.com/g", "https://hooks.example.com/h", false},
		{"https://hooks.example.com/G", "https://hooks.example.com/g", false},
		{"https://hooks.example.com/g?a=1", "https://hooks.example.com/g?a=2", false},
		{"https://hooks.example.com/%zz", "https://hooks.example.com/%zz/", false}, // unparsable: never equivalent
	}
	for _, tc := range cases {
		if got := equivalentURLs(tc.a, tc.b); got != tc.want {
			t.Errorf("equivalentURLs(%q, %q) = %t, want %t", tc.a, tc.b, got, tc.want)
		}
	}
}

// settingsDiff is the one answer to "are these the same settings?": forms the API may normalize
// are the same, values it changed are not.
func TestSettingsDiff(t *testing.T) {
	t.Parallel()
	base := webhookSettings{url: "https://hooks.example.com/g", events: normalizeEvents([]string{"job.failed", "model.processed"}),
		enabled: true, description: ""}
	with := func(change func(*webhookSettings)) webhookSettings {
		s := base
		change(&s)
		return s
	}
	cases := []struct {
		name string
		got  webhookSettings
		want []string
	}{
		{"identical", base, nil},
		{"normalized URL", with(func(s *webhookSettings) { s.url = "https://Hooks.Example.com:443/g/" }), nil},
		{"events reordered, cased, repeated", with(func(s *webhookSettings) {
			s.events = normalizeEvents([]string{"Model.Processed", "job.failed", "job.failed"})
		}), nil},
		{"another path", with(func(s *webhookSettings) { s.url = "https://hooks.example.com/h" }), []string{"url"}},
		{"an event dropped", with(func(s *webhookSettings) { s.events = normalizeEvents([]string{"job.failed"}) }), []string{"events"}},
		{"disabled", with(func(s *webhookSettings) { s.enabled = false }), []string{"enabled"}},
		{"described", with(func(s *webhookSettings) { s.description = "x" }), []string{"description"}},
	}
	for _, tc := range cases {
		if got := settingsDiff(base, tc.got); !slices.Equal(got, tc.want) {
			t.Errorf("%s: settingsDiff = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNewWebhookResourceModel_secret(t *testing.T) {
	answer := func(secret string) *glossi.Webhook {
		return &glossi.Webhook{ID: "id-1", URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true, Secret: secret}
	}
	cases := []struct {
		name   string
		answer *glossi.Webhook
		prior  types.String
		want   types.String
	}{
		{"answer has a secret", answer("new"), types.StringValue("old"), types.StringValue("new")},
		{"answer has none: keep the stored one", answer(""), types.StringValue("old"), types.StringValue("old")},
		{"answer has none, nothing stored", answer(""), types.StringNull(), types.StringNull()},
		{"answer has none, planned unknown", answer(""), types.StringUnknown(), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got := newWebhookResourceModel(context.Background(), tc.answer, webhookResourceModel{Secret: tc.prior}, &diags)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !got.Secret.Equal(tc.want) {
				t.Errorf("secret: got %s, want %s", redacted(got.Secret), redacted(tc.want))
			}
		})
	}
}

const twoEventsWebhook = `
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed", "render.failed"]
}
`

// A create the API answered with a changed value (an event dropped) warns. The next refresh
// compares the API's settings with what the API answered, not with the planned values the create
// kept in state: the plan shows the event as drift to correct, without "Secret May Be Stale" and
// without renewing the secret. Applying it gets the clear error, never Terraform's "inconsistent
// result", and the resource is not tainted.
func TestWebhookResource_createAnswerChangedValueThenQuietPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{DropLastEvent: true})
	ws := newSandboxWorkspace(t, env, twoEventsWebhook)
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi API Changed Webhook Events", "The webhook was created")

	out = ws.run(t, "plan", "-no-color")
	expectOutput(t, out, `+ "render.failed"`, "1 to change, 0 to destroy")
	expectNoOutput(t, out, "Secret May Be Stale", "Warning: Glossi")

	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the update the API answered without an event succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Glossi API Changed Webhook Events", "stored events as", "not the configured")
	expectNoOutput(t, out, "inconsistent result", "Secret May Be Stale")

	out = ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "1 to change, 0 to destroy")
	expectNoOutput(t, out, "tainted", "must be replaced", "Secret May Be Stale")
	ws.expectSandboxSecret(t, env, "after the refused update")
}

// The webhook vanishes between plan and apply of an update: the PUT creates a new one. The apply
// fails naming both ids, the state holds the new webhook and its secret, and the next plan is
// empty.
func TestWebhookResource_replacedDuringApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	planned := env.storedWebhook(t)
	ws.writeConfig(t, changedWebhook)
	ws.run(t, "plan", "-no-color", "-out=tfplan")
	env.sandbox.DeleteWebhook(testAPIKey)
	out, err := ws.tryRun(t, "apply", "-no-color", "tfplan")
	if err == nil {
		t.Fatalf("the apply that replaced the webhook succeeded:\n%s", out)
	}
	created := env.storedWebhook(t)
	expectOutput(t, out, "Error: Glossi Webhook Replaced During Apply",
		fmt.Sprintf("The webhook %q was deleted outside Terraform", planned.ID), fmt.Sprintf("(id %q)", created.ID))
	attrs := ws.stateAttributes(t)
	if attrs["id"] != created.ID || attrs["url"] != "https://hooks.example.com/glossi/v2" {
		t.Errorf("state holds id %v and url %v, want the new webhook %q and the planned url", attrs["id"], attrs["url"], created.ID)
	}
	if ws.stateSecret(t) != created.Secret {
		t.Error("the secret in state is not the new webhook's")
	}
	ws.expectNoChanges(t, "the replacement during apply")
}

// A rotation against an API that keeps the secret on update warns, and leaves the secret,
// its version and previous_secret as they were.
func TestWebhookResource_rotationNotPerformedWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{}) // keeps the secret on update, as `glossi-sandbox serve`
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	ws.writeConfig(t, rotatedWebhook(1))
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Rotated", "keeps the secret when a webhook is updated",
		"terraform apply -replace=<address>")
	attrs := ws.stateAttributes(t)
	if attrs["secret"] != env.storedWebhook(t).Secret || attrs["secret_version"] != json.Number("1") || attrs["previous_secret"] != nil {
		t.Errorf("secret in sync %t, secret_version %v, previous_secret set %t; want in sync, 1, unset",
			attrs["secret"] == env.storedWebhook(t).Secret, attrs["secret_version"], attrs["previous_secret"] != nil)
	}
}

// The API stores another value of url, events, enabled or description than the planned one:
// answerChanges names the attribute with both values, a create keeps the planned value
// (keepPlanned) and warns, an update is an error, each on the attribute and with a summary that
// names it.
func TestAnswerChanges_eachAttribute(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	plan := webhookResourceModel{ID: types.StringValue("wh-1"), URL: types.StringValue("https://hooks.example.com/glossi"),
		Events: stringSet("job.failed"), Enabled: types.BoolValue(true), Description: types.StringValue("planned")}
	for _, tc := range []struct {
		attribute, summary, planned, answered string
		answer                                func(*webhookResourceModel)
	}{
		{"url", "Glossi API Changed Webhook URL", "https://hooks.example.com/glossi", "https://hooks.example.com/other",
			func(m *webhookResourceModel) { m.URL = types.StringValue("https://hooks.example.com/other") }},
		{"events", "Glossi API Changed Webhook Events", `["job.failed"]`, `["job.complete"]`,
			func(m *webhookResourceModel) { m.Events = stringSet("job.complete") }},
		{"enabled", "Glossi API Changed Webhook Enabled", "true", "false",
			func(m *webhookResourceModel) { m.Enabled = types.BoolValue(false) }},
		{"description", "Glossi API Changed Webhook Description", `"planned"`, `"answered"`,
			func(m *webhookResourceModel) { m.Description = types.StringValue("answered") }},
	} {
		t.Run(tc.attribute, func(t *testing.T) {
			t.Parallel()
			model := plan
			tc.answer(&model)
			changes := answerChanges(ctx, model, plan)
			if want := []answerChange{{tc.attribute, tc.planned, tc.answered}}; !slices.Equal(changes, want) {
				t.Fatalf("answerChanges = %q, want %q", changes, want)
			}
			kept := model
			if keepPlanned(&kept, plan, changes); !reflect.DeepEqual(kept, plan) {
				t.Errorf("keepPlanned did not put the planned %s back", tc.attribute)
			}
			var created, updated diag.Diagnostics
			warnCreateAnswer(&created, changes, &glossi.Webhook{ID: "wh-1", Secret: "whsec_answer_1f0c"})
			reportUpdateAnswer(ctx, &updated, &glossi.Webhook{ID: "wh-1", Secret: "whsec_answer_1f0c"}, model, plan, plan)
			for _, d := range []struct {
				diags    diag.Diagnostics
				severity diag.Severity
			}{{created, diag.SeverityWarning}, {updated, diag.SeverityError}} {
				if len(d.diags) != 1 || d.diags[0].Severity() != d.severity || d.diags[0].Summary() != tc.summary {
					t.Fatalf("got %v, want one %s %q", d.diags, d.severity, tc.summary)
				}
				withPath, ok := d.diags[0].(diag.DiagnosticWithPath)
				if !ok || !withPath.Path().Equal(path.Root(tc.attribute)) {
					t.Errorf("%q is not on the attribute %s", tc.summary, tc.attribute)
				}
				if detail := d.diags[0].Detail(); !strings.Contains(detail, tc.attribute+" as "+tc.answered+", not the configured "+tc.planned) {
					t.Errorf("the detail does not name both values: %s", detail)
				}
			}
		})
	}
}

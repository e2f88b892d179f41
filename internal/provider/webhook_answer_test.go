package provider

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

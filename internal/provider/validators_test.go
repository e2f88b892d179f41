package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

type wantDiag int

const (
	wantNothing wantDiag = iota
	wantWarning
	wantError
)

func (w wantDiag) check(t *testing.T, diags diag.Diagnostics) {
	t.Helper()
	got := wantNothing
	switch {
	case diags.ErrorsCount() > 0:
		got = wantError
	case diags.WarningsCount() > 0:
		got = wantWarning
	}
	if got != w {
		t.Errorf("got diagnostics %v, want %s", diags, [...]string{"none", "a warning", "an error"}[w])
	}
}

func runStringValidator(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func TestURLValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value      types.String
		warnOnHTTP bool
		want       wantDiag
	}{
		{types.StringValue("https://hooks.example.com/glossi"), true, wantNothing},
		{types.StringValue("https://hooks.example.com:8443/a?b=c"), true, wantNothing},
		{types.StringValue("http://localhost:3000/hook"), true, wantNothing},
		{types.StringValue("HTTP://localhost:3000/hook"), true, wantNothing},
		{types.StringValue("http://127.0.0.1:8080/api/v1"), false, wantNothing},
		{types.StringValue("ftp://hooks.example.com"), true, wantError},
		{types.StringValue("hooks.example.com/glossi"), true, wantError},
		{types.StringValue("/relative"), true, wantError},
		{types.StringValue("https://"), true, wantError},
		{types.StringValue("https://:443/x"), true, wantError},
		{types.StringValue("https://exa mple.com"), true, wantError},
		{types.StringValue(""), true, wantError},
		{types.StringNull(), true, wantNothing},
		{types.StringUnknown(), true, wantNothing},
	}
	for _, tc := range cases {
		t.Run(tc.value.String(), func(t *testing.T) {
			t.Parallel()
			tc.want.check(t, runStringValidator(urlValidator{}, tc.value))
		})
	}
}

func TestEventNameValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value string
		want  wantDiag
	}{
		{"model.processed", wantNothing},
		{"render.failed", wantNothing},
		{"model.archived", wantNothing}, // warned about by the plan, see webhook_resource_warnings.go
		{"asset_library.item_added", wantNothing},
		{"Model.Processed", wantError},
		{"model processed", wantError},
		{"model", wantError},
		{"model.processed.extra", wantError},
		{".processed", wantError},
		{"", wantError},
		{"*", wantError},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			t.Parallel()
			tc.want.check(t, runStringValidator(eventNameValidator{}, types.StringValue(tc.value)))
		})
	}
	// An event from a resource of the same apply: checked when known.
	for _, value := range []types.String{types.StringNull(), types.StringUnknown()} {
		wantNothing.check(t, runStringValidator(eventNameValidator{}, value))
	}
}

// A typo one edit from a known event is an error that names the event, not an unknown-event
// warning that lets the plan pass.
func TestEventNameValidator_nearestKnownEvent(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"model.procesed":   "model.processed", // a letter deleted
		"model.processedd": "model.processed", // a letter inserted
		"job.faild":        "job.failed",
		"render.compelte":  "render.complete", // neighbours swapped
		"jab.failed":       "job.failed",      // a letter replaced
		"Model.Processed":  "model.processed", // case only
	}
	for event, want := range cases {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			diags := runStringValidator(eventNameValidator{}, types.StringValue(event))
			if diags.ErrorsCount() != 1 {
				t.Fatalf("got %v, want one error", diags)
			}
			if detail := diags[0].Detail(); !strings.Contains(detail, "did you mean \""+want+"\"?") {
				t.Errorf("detail %q does not suggest %q", detail, want)
			}
		})
	}
	for _, event := range []string{"model.archived", "asset.added", "job.fail", "modl.procesed"} {
		if near := nearestKnownEvent(event); near != "" {
			t.Errorf("nearestKnownEvent(%q) = %q, want none: it is two or more edits from every known event", event, near)
		}
	}
}

func TestDurationValidator(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value string
		want  wantDiag
	}{
		{"30s", wantNothing},
		{"1m30s", wantNothing},
		{"250ms", wantNothing},
		{"0s", wantError},
		{"-1s", wantError},
		{"30", wantError},
		{"soon", wantError},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			t.Parallel()
			tc.want.check(t, runStringValidator(durationValidator{}, types.StringValue(tc.value)))
		})
	}
}

// Every bad input is refused at plan, before any request reaches the API.
func TestProvider_badInputFailsAtPlan(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		provider string
		resource string
		want     string
	}{
		{name: "relative url", resource: `url = "/hooks"`, want: `Invalid URL`},
		{name: "ftp url", resource: `url = "ftp://hooks.example.com"`, want: `scheme must be http or https`},
		{name: "url without host", resource: `url = "https://"`, want: `has no host`},
		{name: "no events", resource: `events = []`, want: `at least 1`},
		{name: "malformed event", resource: `events = ["render"]`, want: `not a Glossi event name`},
		{name: "empty event", resource: `events = [""]`, want: `not a Glossi event name`},
		{name: "event one letter off", resource: `events = ["model.procesed"]`, want: `did\s+you\s+mean\s+"model\.processed"`},
		{name: "base_url not absolute", provider: `base_url = "api.glossi.app"`, want: `Invalid URL`},
		{name: "request_timeout not a duration", provider: `request_timeout = "soon"`, want: `not a positive duration`},
		{name: "request_timeout negative", provider: `request_timeout = "-5s"`, want: `not a positive duration`},
		{name: "max_retries negative", provider: `max_retries = -1`, want: `between 0 and 20`},
	}
	// One TestCase: a webhook is applied, then each bad input is a plan-only step (one plan
	// each) that must fail before any API call, then the valid configuration plans clean.
	env := newTestEnv(t, sandbox.Options{})
	valid := env.config(basicWebhook)
	// noRequestsSince checks that the step before made no API call, then resets the log.
	noRequestsSince := func(what string) func() {
		return func() {
			if n := len(env.sandbox.Requests()); n != 0 {
				t.Errorf("%s: bad input must fail before any API call; the API got %d requests", what, n)
			}
			env.sandbox.ResetRequests()
		}
	}
	steps := []resource.TestStep{{Config: valid}}
	before := func() {
		// With a webhook in state, a plan would refresh it: bad input must stop Terraform
		// before that GET.
		env.sandbox.ResetRequests()
	}
	for _, tc := range cases {
		attrs := map[string]string{
			"url":    `url = "https://hooks.example.com/glossi"`,
			"events": `events = ["model.processed"]`,
		}
		if tc.resource != "" {
			attrs[strings.SplitN(tc.resource, " ", 2)[0]] = tc.resource
		}
		providerAttrs := map[string]string{
			"api_key":  fmt.Sprintf("api_key = %q", testAPIKey),
			"base_url": fmt.Sprintf("base_url = %q", env.baseURL),
		}
		if tc.provider != "" {
			providerAttrs[strings.SplitN(tc.provider, " ", 2)[0]] = tc.provider
		}
		config := fmt.Sprintf("provider \"glossi\" {\n%s\n}\nresource \"glossi_webhook\" \"test\" {\n%s\n%s\n}\n",
			joinValues(providerAttrs), attrs["url"], attrs["events"])
		steps = append(steps, resource.TestStep{
			PreConfig:   before,
			Config:      config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
		before = noRequestsSince(tc.name)
	}
	steps = append(steps, resource.TestStep{PreConfig: before, Config: valid, PlanOnly: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
	})
}

func joinValues(m map[string]string) string {
	var lines []string
	for _, v := range m {
		lines = append(lines, v)
	}
	return strings.Join(lines, "\n")
}

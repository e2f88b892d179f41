package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func TestDescriptionValue(t *testing.T) {
	t.Parallel()
	empty, text := "", "hello"
	cases := []struct {
		name  string
		api   *string
		prior types.String
		want  types.String
	}{
		{"api null, config null", nil, types.StringNull(), types.StringNull()},
		{"api empty, config null", &empty, types.StringNull(), types.StringNull()},
		{"api null, config empty", nil, types.StringValue(""), types.StringValue("")},
		{"api empty, config empty", &empty, types.StringValue(""), types.StringValue("")},
		{"api text", &text, types.StringNull(), types.StringValue("hello")},
		{"api cleared, config text", nil, types.StringValue("hello"), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := descriptionValue(tc.api, tc.prior); !got.Equal(tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// knownEvents are the events the Glossi API documents, in its order; glossiwebhook holds the list.
var knownEvents = eventNames(glossiwebhook.KnownEvents())

func eventNames(events []glossiwebhook.EventType) []string {
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = string(e)
	}
	return names
}

// wellFormedEvent is the shape of every Glossi event name: resource.action.
var wellFormedEvent = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$`)

var (
	_ validator.String = urlValidator{}
	_ validator.String = durationValidator{}
	_ validator.String = eventNameValidator{}
)

// urlValidator accepts absolute http(s) URLs. The webhook URL's warnings (plain http,
// credentials) come from the resource's plan, so that each is printed once.
type urlValidator struct{}

func (v urlValidator) Description(_ context.Context) string {
	return "value must be an absolute http or https URL"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if problem := urlProblem(raw); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%q is not usable: %s. Use an absolute URL such as \"https://example.com/webhooks/glossi\".", raw, problem))
	}
}

// urlProblem says what is wrong with raw as an absolute http(s) URL, or "" when nothing is.
func urlProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "it cannot be parsed as a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "the scheme must be http or https"
	case u.Host == "" || u.Hostname() == "":
		return "it has no host"
	}
	return ""
}

// durationValidator accepts positive Go duration strings such as "30s".
type durationValidator struct{}

func (v durationValidator) Description(_ context.Context) string {
	return `value must be a positive duration such as "30s" or "2m"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if d, err := time.ParseDuration(raw); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%q is not a positive duration. Use a number with a unit, such as \"30s\", \"1m30s\" or \"2m\".", raw))
	}
}

// eventNameValidator accepts well-formed event names and rejects anything else. Well-formed
// unknown ones (the API is in beta and may add events) get a warning from the resource's plan.
type eventNameValidator struct{}

func (v eventNameValidator) Description(_ context.Context) string {
	return "value must be a Glossi event such as " + strings.Join(knownEvents, ", ")
}

func (v eventNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v eventNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	event := req.ConfigValue.ValueString()
	switch {
	case slices.Contains(knownEvents, event), wellFormedEvent.MatchString(event):
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Glossi Event",
			fmt.Sprintf("%q is not a Glossi event name. Use one of %s.", event, strings.Join(knownEvents, ", ")))
	}
}

// markdownList renders values as a comma-separated list of code spans.
func markdownList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

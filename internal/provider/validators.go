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

// urlValidator accepts absolute http(s) URLs. With warnOnHTTP, plain http is a warning.
type urlValidator struct {
	warnOnHTTP bool
}

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
		return
	}
	if v.warnOnHTTP && strings.HasPrefix(strings.ToLower(raw), "http://") {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Webhook URL Uses Plain HTTP",
			fmt.Sprintf("%q is not encrypted: the deliveries and their signatures travel in clear text. "+
				"Plain http is fine for local testing; use an https URL in production.", raw))
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

// eventNameValidator accepts the known events, warns on well-formed unknown ones (the API is in
// beta and may add events before this provider knows them) and rejects anything else.
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
	case slices.Contains(knownEvents, event):
	case wellFormedEvent.MatchString(event):
		resp.Diagnostics.AddAttributeWarning(req.Path, "Unknown Glossi Event",
			fmt.Sprintf("%q is not one of the events this provider knows (%s). The Glossi API is in beta and may "+
				"have added it; if it has not, the API will reject it at apply.", event, strings.Join(knownEvents, ", ")))
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

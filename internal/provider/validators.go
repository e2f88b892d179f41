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
// unknown ones (the API is in beta and may add events) get a warning from the resource's plan,
// except a typo one letter from a known event, which it rejects naming that event.
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
	if slices.Contains(knownEvents, event) {
		return
	}
	if near := nearestKnownEvent(event); near != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Glossi Event",
			fmt.Sprintf("%q is not a Glossi event: did you mean %q? The known events are %s.",
				event, near, strings.Join(knownEvents, ", ")))
		return
	}
	if !wellFormedEvent.MatchString(event) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Glossi Event",
			fmt.Sprintf("%q is not a Glossi event name. Use one of %s.", event, strings.Join(knownEvents, ", ")))
	}
}

// nearestKnownEvent is the known event that event differs from only in case or by one edit, or ""
// when there is none.
func nearestKnownEvent(event string) string { return nearest(knownEvents, event) }

// nearest is the first of candidates that s differs from only in case or by one edit (a letter
// inserted, deleted or replaced, or two neighbours swapped), or "" when there is none: the "did
// you mean" of an event or an account name.
func nearest(candidates []string, s string) string {
	lower := strings.ToLower(s)
	for _, c := range candidates {
		if lower == strings.ToLower(c) || oneEditApart(lower, strings.ToLower(c)) {
			return c
		}
	}
	return ""
}

// oneEditApart reports whether a and b differ by exactly one insertion, deletion,
// substitution or transposition of neighbouring bytes.
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if a == b || len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) { // one insertion
		return a[i:] == b[i+1:]
	}
	if a[i+1:] == b[i+1:] { // one substitution
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // one swap
}

// markdownList renders values as a comma-separated list of code spans.
func markdownList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

package provider

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// keepEquivalent keeps prior's url and events where the API's answer says the same thing in
// another form (a normalised URL, events in another order or case), so that neither causes a
// diff nor an inconsistent-result error.
func keepEquivalent(ctx context.Context, model *webhookResourceModel, prior webhookResourceModel) {
	if knownString(prior.URL) && equivalentURLs(prior.URL.ValueString(), model.URL.ValueString()) {
		model.URL = prior.URL
	}
	if knownSet(prior.Events) && knownSet(model.Events) &&
		slices.Equal(normalizedEvents(ctx, prior.Events), normalizedEvents(ctx, model.Events)) {
		model.Events = prior.Events
	}
}

// answerChange is an attribute the API stored with a value other than the planned one.
type answerChange struct {
	attribute, planned, answered string
}

// answerChanges lists what the API really changed: model is the answer after keepEquivalent.
func answerChanges(model, plan webhookResourceModel) []answerChange {
	var changes []answerChange
	if knownString(plan.URL) && !model.URL.Equal(plan.URL) {
		changes = append(changes, answerChange{"url", plan.URL.ValueString(), model.URL.ValueString()})
	}
	if knownSet(plan.Events) && !model.Events.Equal(plan.Events) {
		changes = append(changes, answerChange{"events", plan.Events.String(), model.Events.String()})
	}
	if !plan.Enabled.IsUnknown() && !model.Enabled.Equal(plan.Enabled) {
		changes = append(changes, answerChange{"enabled", plan.Enabled.String(), model.Enabled.String()})
	}
	return changes
}

// keepPlanned puts the planned values of changes back into model, for a create: Terraform
// taints a created resource on any error, so a create warns instead and the next plan shows the
// API's values as drift.
func keepPlanned(model *webhookResourceModel, plan webhookResourceModel, changes []answerChange) {
	for _, c := range changes {
		switch c.attribute {
		case "url":
			model.URL = plan.URL
		case "events":
			model.Events = plan.Events
		case "enabled":
			model.Enabled = plan.Enabled
		}
	}
}

// equivalentURLs reports whether a and b differ only in the case of the scheme and host, a
// default port, or a trailing slash.
func equivalentURLs(a, b string) bool {
	if a == b {
		return true
	}
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return canonicalURL(ua) == canonicalURL(ub)
}

func canonicalURL(u *url.URL) string {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	host := strings.ToLower(c.Hostname())
	defaultPort := map[string]string{"http": "80", "https": "443"}[c.Scheme]
	if port := c.Port(); port != "" && port != defaultPort {
		host += ":" + port
	}
	c.Host = host
	c.Path = strings.TrimRight(c.Path, "/")
	c.RawPath = ""
	return c.String()
}

// normalizedEvents is the sorted, de-duplicated, lower-case list of a set of events.
func normalizedEvents(ctx context.Context, set types.Set) []string {
	var events []string
	_ = set.ElementsAs(ctx, &events, false) // a set of strings always converts.
	for i, e := range events {
		events[i] = strings.ToLower(strings.TrimSpace(e))
	}
	slices.Sort(events)
	return slices.Compact(events)
}

func knownString(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
func knownSet(v types.Set) bool       { return !v.IsNull() && !v.IsUnknown() }

// reportAnswerChanges adds, for each change, an error (update) or a warning (create).
func reportAnswerChanges(diags *diag.Diagnostics, changes []answerChange, creating bool) {
	for _, c := range changes {
		addAnswerChangedDiagnostic(diags, c.attribute, c.planned, c.answered, creating)
	}
}

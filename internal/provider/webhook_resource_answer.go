package provider

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// webhookSettings are what a PUT sends, in the form in which two of them compare: "are these the
// same settings?" has one answer, settingsDiff, used by the answer check, the adoption of a lost
// create, the other-writer guard and the refresh.
type webhookSettings struct {
	url         string
	events      []string // normalizeEvents
	enabled     bool
	description string // "" for none, however the API says it
}

func settingsOfModel(ctx context.Context, m webhookResourceModel) webhookSettings {
	var events []string
	_ = m.Events.ElementsAs(ctx, &events, true) // a set of strings always converts; unknown gives none
	return webhookSettings{url: m.URL.ValueString(), events: normalizeEvents(events), enabled: m.Enabled.ValueBool(),
		description: m.Description.ValueString()}
}

// settingsKnown reports whether every setting of m is known: a plan may not know one yet.
func (m webhookResourceModel) settingsKnown() bool {
	known := !m.URL.IsUnknown() && !m.Events.IsUnknown() && !m.Enabled.IsUnknown() && !m.Description.IsUnknown()
	for _, e := range m.Events.Elements() {
		known = known && !e.IsUnknown()
	}
	return known
}

func settingsOfAnswer(w *glossi.Webhook) webhookSettings {
	s := webhookSettings{url: w.URL, events: normalizeEvents(w.Events), enabled: w.Enabled}
	if w.Description != nil {
		s.description = *w.Description
	}
	return s
}

// settingsDiff names the attributes whose values differ between a and b: the URL beyond an
// equivalent form (equivalentURLs), the events beyond order, case and repeats, enabled, and the
// description beyond the API's two ways of saying "none".
func settingsDiff(a, b webhookSettings) []string {
	var diff []string
	if !equivalentURLs(a.url, b.url) {
		diff = append(diff, "url")
	}
	if !slices.Equal(a.events, b.events) {
		diff = append(diff, "events")
	}
	if a.enabled != b.enabled {
		diff = append(diff, "enabled")
	}
	if a.description != b.description {
		diff = append(diff, "description")
	}
	return diff
}

func sameSettings(a, b webhookSettings) bool { return len(settingsDiff(a, b)) == 0 }

// keepEquivalent keeps prior's url and events where the API's answer says the same thing in
// another form (a normalised URL, events in another order or case), so that neither causes a
// diff nor an inconsistent-result error.
func keepEquivalent(ctx context.Context, model *webhookResourceModel, prior webhookResourceModel) {
	if !knownString(prior.URL) || !knownSet(prior.Events) || !knownSet(model.Events) {
		return
	}
	diff := settingsDiff(settingsOfModel(ctx, prior), settingsOfModel(ctx, *model))
	if !slices.Contains(diff, "url") {
		model.URL = prior.URL
	}
	if !slices.Contains(diff, "events") {
		model.Events = prior.Events
	}
}

// answerChange is an attribute the API stored with a value other than the planned one.
type answerChange struct {
	attribute, planned, answered string
}

// answerChanges lists what the API really changed: model is the answer after keepEquivalent.
func answerChanges(ctx context.Context, model, plan webhookResourceModel) []answerChange {
	var changes []answerChange
	for _, attribute := range settingsDiff(settingsOfModel(ctx, plan), settingsOfModel(ctx, model)) {
		planned, answered := attributeValue(plan, attribute), attributeValue(model, attribute)
		changes = append(changes, answerChange{attribute, planned, answered})
	}
	return changes
}

func attributeValue(m webhookResourceModel, attribute string) string {
	switch attribute {
	case "url":
		return m.URL.ValueString()
	case "events":
		return m.Events.String()
	case "enabled":
		return m.Enabled.String()
	}
	return m.Description.String()
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
		case "description":
			model.Description = plan.Description
		}
	}
}

// warnCreateAnswer warns about what a create's answer changed or lacked. A create never fails
// once the webhook exists: Terraform would taint it.
func warnCreateAnswer(diags *diag.Diagnostics, changes []answerChange, created *glossi.Webhook) {
	for _, c := range changes {
		addAnswerChangedOnCreateWarning(diags, c.attribute, c.planned, c.answered)
	}
	if created.Secret == "" {
		addSecretNotReturnedOnCreateWarning(diags)
	}
}

// reportUpdateAnswer reports what an update's answer changed, lacked or did not do. Unlike
// elsewhere, its errors do not stop at the first: the answer is already stored in state and no
// call follows, so each diagnostic is one more true fact about that answer (an event dropped and
// a webhook replaced during the apply can both be), and stopping would only hide the others.
func reportUpdateAnswer(ctx context.Context, diags *diag.Diagnostics, updated *glossi.Webhook, model, plan, state webhookResourceModel) {
	for _, c := range answerChanges(ctx, model, plan) {
		addAnswerChangedOnUpdateError(diags, c.attribute, c.planned, c.answered)
	}
	switch {
	case updated.Secret == "":
		addSecretNotReturnedOnUpdateWarning(diags)
	case rotationRequested(plan, state) && state.holdsSecret(updated.Secret):
		addSecretNotRotatedWarning(diags)
	}
	if updated.ID != state.ID.ValueString() {
		addReplacedDuringApplyError(diags, state.ID.ValueString(), updated.ID)
	}
}

// rotationRequested reports whether the update was planned to rotate the secret.
func rotationRequested(plan, state webhookResourceModel) bool {
	return !plan.RotateSecretTriggers.Equal(state.RotateSecretTriggers)
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

// normalizeEvents is the sorted, de-duplicated, lower-case list of events.
func normalizeEvents(events []string) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = strings.ToLower(strings.TrimSpace(e))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func knownString(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
func knownSet(v types.Set) bool       { return !v.IsNull() && !v.IsUnknown() }

// newWebhookResourceModel is the state for webhook as the API returned it. What the API does not
// return comes from prior: the secret and its lifecycle when the answer has none, and
// rotate_secret_triggers.
func newWebhookResourceModel(ctx context.Context, webhook *glossi.Webhook, prior webhookResourceModel, diags *diag.Diagnostics) webhookResourceModel {
	events, d := types.SetValueFrom(ctx, types.StringType, webhook.Events)
	diags.Append(d...)
	model := webhookResourceModel{
		ID:                   types.StringValue(webhook.ID),
		Account:              prior.Account,
		URL:                  types.StringValue(webhook.URL),
		Events:               events,
		Enabled:              types.BoolValue(webhook.Enabled),
		Description:          descriptionValue(webhook.Description, prior.Description),
		RotateSecretTriggers: prior.RotateSecretTriggers,
		SecretRecipients:     prior.SecretRecipients,
	}
	model.carrySecretFrom(prior)
	if err := model.storeSecret(webhook.Secret, time.Now()); err != nil {
		addSecretNotEncryptedError(diags, err)
	}
	keepEquivalent(ctx, &model, prior)
	return model
}

package provider

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// addPlanWarnings warns about a webhook configuration that works but is risky. It runs from
// ModifyPlan, not from validators: Terraform validates a configuration twice per plan and would
// print each validator warning twice ("and one more similar warning elsewhere").
func addPlanWarnings(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var webhookURL types.String
	var events types.Set
	diags.Append(config.GetAttribute(ctx, path.Root("url"), &webhookURL)...)
	diags.Append(config.GetAttribute(ctx, path.Root("events"), &events)...)
	if knownString(webhookURL) {
		addURLWarnings(webhookURL.ValueString(), diags)
	}
	if knownSet(events) && !events.IsUnknown() {
		var names []string
		diags.Append(events.ElementsAs(ctx, &names, true)...)
		if unknown := unknownEvents(names); len(unknown) > 0 {
			addUnknownEventsWarning(diags, unknown)
		}
	}
}

func addURLWarnings(raw string, diags *diag.Diagnostics) {
	u, err := url.Parse(raw)
	if err != nil {
		return // the validator reported it
	}
	if strings.EqualFold(u.Scheme, "http") {
		addPlainHTTPWebhookWarning(diags, glossi.RedactURL(raw))
	}
	if names := credentialParts(u); len(names) > 0 {
		addURLCredentialsWarning(diags, names)
	}
}

// credentialParts names the parts of u that look like credentials: user info and token-like
// query parameters.
func credentialParts(u *url.URL) []string {
	var parts []string
	if u.User != nil {
		parts = append(parts, "user info")
	}
	for name := range u.Query() {
		if glossi.IsCredentialParam(name) {
			parts = append(parts, "query parameter "+name)
		}
	}
	slices.Sort(parts)
	return parts
}

// unknownEvents are the names in events this provider does not know, without repeats.
func unknownEvents(events []string) []string {
	var unknown []string
	for _, e := range events {
		if e != "" && !slices.Contains(knownEvents, e) && !slices.Contains(unknown, e) {
			unknown = append(unknown, e)
		}
	}
	slices.Sort(unknown)
	return unknown
}

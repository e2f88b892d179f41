package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The secret's lifecycle: which secret is stored, since when, what it replaced, and the private
// markers that make the next plan fetch a new one when the stored one may be stale.

// staleUncertainUpdate is the privateStaleSecret value after an update whose outcome is unknown
// (private state values must be JSON).
const staleUncertainUpdate = `"uncertain_update"`

// privateUncertainCreate marks, in private state, a create whose PUT got no definite answer: the
// state holds what was sent but no id until a refresh finds the webhook it describes.
const privateUncertainCreate = "uncertain_create"

func secretLifecycleAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"secret_version": schema.Int64Attribute{
			MarkdownDescription: "`1` when the first `secret` is stored, then `+1` each time the stored secret changes; " +
				"null while there is none (after import). Unknown in any plan that may change the secret, known " +
				"otherwise: key a downstream write-only argument on it (such as `secret_string_wo_version`) so the " +
				"secret is copied when, and only when, it changes.",
			Computed: true,
		},
		"secret_fingerprint": schema.StringAttribute{
			MarkdownDescription: "The first 16 lowercase hex characters of the SHA-256 of `secret`, null when `secret` " +
				"is null. Not sensitive: compare it with the fingerprints a `glossiwebhook.Verifier` prints to check " +
				"that a receiver holds the stored secret, without seeing either.",
			Computed: true,
		},
		"previous_secret": schema.StringAttribute{
			MarkdownDescription: "The secret that `secret` replaced when the stored secret last changed; null until " +
				"the first rotation. Give it to the receiver along with `secret` until Glossi's retries of deliveries " +
				"signed with it are over (about 36 minutes after `secret_rotated_at`).",
			Computed:  true,
			Sensitive: true,
		},
		"secret_rotated_at": schema.StringAttribute{
			MarkdownDescription: "When the stored secret last changed (RFC 3339, the time of that apply); null until " +
				"the first rotation.",
			Computed: true,
		},
	}
}

// carrySecretFrom takes the stored secret and its lifecycle from prior, the state before a call.
func (m *webhookResourceModel) carrySecretFrom(prior webhookResourceModel) {
	m.Secret = prior.Secret
	m.SecretVersion = prior.SecretVersion
	m.SecretFingerprint = prior.SecretFingerprint
	m.PreviousSecret = prior.PreviousSecret
	m.SecretRotatedAt = prior.SecretRotatedAt
}

// storeSecret records answer, the secret an API answer held ("" for none), at now. A new secret
// bumps secret_version; when it replaces one, that one becomes previous_secret.
func (m *webhookResourceModel) storeSecret(answer string, now time.Time) {
	m.nullUnknownSecretFields()
	if answer != "" && answer != m.Secret.ValueString() {
		if !m.Secret.IsNull() {
			m.PreviousSecret = m.Secret
			m.SecretRotatedAt = types.StringValue(now.UTC().Format(time.RFC3339))
		}
		m.Secret = types.StringValue(answer)
		m.SecretVersion = types.Int64Value(m.SecretVersion.ValueInt64() + 1)
	}
	m.SecretFingerprint = types.StringNull()
	if !m.Secret.IsNull() {
		m.SecretFingerprint = types.StringValue(glossiwebhook.Fingerprint(m.Secret.ValueString()))
		if m.SecretVersion.IsNull() {
			m.SecretVersion = types.Int64Value(1) // a state written before secret_version existed
		}
	}
}

func (m *webhookResourceModel) nullUnknownSecretFields() {
	for _, s := range []*types.String{&m.Secret, &m.SecretFingerprint, &m.PreviousSecret, &m.SecretRotatedAt} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	if m.SecretVersion.IsUnknown() {
		m.SecretVersion = types.Int64Null()
	}
}

// planStaleSecret plans an update that stores a new secret when private state says the stored
// one may be stale: the webhook was replaced outside Terraform, or an update's outcome is unknown.
func planStaleSecret(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	stale, diags := req.Private.GetKey(ctx, privateStaleSecret)
	resp.Diagnostics.Append(diags...)
	if len(stale) == 0 {
		return
	}
	if string(stale) == staleUncertainUpdate {
		addSecretMayBeStaleWarning(&resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("secret"), types.StringUnknown())...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("secret_version"), types.Int64Unknown())...)
	for _, name := range []string{"secret_fingerprint", "previous_secret", "secret_rotated_at"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
}

// failUncertainUpdate reports an update whose PUT may or may not have been applied, and marks
// the secret stale so that the next plan updates the webhook again. The state stays the prior one.
func failUncertainUpdate(ctx context.Context, resp *resource.UpdateResponse, err error) {
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateStaleSecret, []byte(staleUncertainUpdate))...)
	addUncertainUpdateError(&resp.Diagnostics, err)
}

// failUncertainCreate reports a create whose PUT may or may not have been applied. It stores
// what was sent, without an id, so that the next refresh can tell whether a webhook it finds is
// this one (readAfterUncertainCreate); Terraform marks it tainted, so the next apply replaces it.
func failUncertainCreate(ctx context.Context, resp *resource.CreateResponse, plan webhookResourceModel, err error) {
	plan.ID = types.StringNull()
	plan.carrySecretFrom(webhookResourceModel{})
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUncertainCreate, []byte("true"))...)
	addUncertainCreateError(&resp.Diagnostics, err)
}

// readAfterUncertainCreate refreshes a resource whose create got no definite answer, and reports
// whether it did. The account's webhook is taken as the one Terraform created only if it has
// exactly the URL, events, enabled and description that were sent (there was no webhook before
// that PUT); otherwise the resource leaves the state and the webhook is not touched.
func (r *webhookResource) readAfterUncertainCreate(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, state webhookResourceModel) bool {
	marker, diags := req.Private.GetKey(ctx, privateUncertainCreate)
	resp.Diagnostics.Append(diags...)
	if len(marker) == 0 {
		return false
	}
	webhook, err := r.client.Get(ctx)
	switch {
	case glossi.IsNotFound(err):
		resp.State.RemoveResource(ctx)
		return true
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, "Reading", err)
		return true
	}
	if !sentBy(ctx, state, webhook) {
		addUncertainCreateNotOursWarning(&resp.Diagnostics, webhook.ID)
		resp.State.RemoveResource(ctx)
		return true
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newWebhookResourceModel(ctx, webhook, state, &resp.Diagnostics))...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateUncertainCreate, nil)...)
	return true
}

// sentBy reports whether webhook has the settings that state holds, as a create sent them.
func sentBy(ctx context.Context, state webhookResourceModel, webhook *glossi.Webhook) bool {
	var sent []string
	if state.Events.ElementsAs(ctx, &sent, false).HasError() {
		return false
	}
	got := slices.Clone(webhook.Events)
	slices.Sort(sent)
	slices.Sort(got)
	description := ""
	if webhook.Description != nil {
		description = *webhook.Description
	}
	return webhook.URL == state.URL.ValueString() && slices.Equal(slices.Compact(got), slices.Compact(sent)) &&
		webhook.Enabled == state.Enabled.ValueBool() && description == state.Description.ValueString()
}

// warnSecretNotReturned warns after a 2xx answer without a secret.
func warnSecretNotReturned(diags *diag.Diagnostics, answer *glossi.Webhook, created bool) {
	if answer.Secret == "" {
		addSecretNotReturnedWarning(diags, created)
	}
}

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The secret attributes: which secret is stored, since when and what it replaced, and how a plan
// asks for a new one when the lifecycle (webhook_lifecycle.go, the one owner of private state)
// says the stored one may be stale.

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

// clearSecret empties the secret and its lifecycle, before a create stores the first one.
func (m *webhookResourceModel) clearSecret() {
	m.carrySecretFrom(webhookResourceModel{})
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

// planSecretRenewal plans an update that stores a new secret when the lifecycle says the stored
// one may be stale: the secret attributes become unknown, which is a change.
func planSecretRenewal(ctx context.Context, plan lifecyclePlan, resp *resource.ModifyPlanResponse) {
	if !plan.storeNewSecret {
		return
	}
	if plan.warnMayBeStale {
		addSecretMayBeStaleWarning(&resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("secret"), types.StringUnknown())...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("secret_version"), types.Int64Unknown())...)
	for _, name := range []string{"secret_fingerprint", "previous_secret", "secret_rotated_at"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
}

// failUncertainCreate reports a create whose PUT may or may not have been applied. It stores
// what was sent, without an id, so that the next refresh can tell whether a webhook it finds is
// this one (readAfterUncertainCreate); Terraform marks it tainted, so the next apply replaces it.
func failUncertainCreate(ctx context.Context, resp *resource.CreateResponse, plan webhookResourceModel, err error) {
	plan.ID = types.StringNull()
	plan.clearSecret()
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, newLifecycle().after(stepCreateUncertain, ""))...)
	addUncertainCreateError(&resp.Diagnostics, err)
}

// maskSecretsOf makes the client mask every secret the state knows for this webhook, in errors
// and logs.
func (r *webhookResource) maskSecretsOf(state webhookResourceModel) {
	r.client.MaskSecret(state.Secret.ValueString())
	r.client.MaskSecret(state.PreviousSecret.ValueString())
}

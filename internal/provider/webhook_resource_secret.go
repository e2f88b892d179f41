package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The secret attributes: which secret is stored, since when and what it replaced, how a plan
// asks for a new one when the lifecycle (webhook_lifecycle.go, the one owner of private state)
// says the stored one may be stale or the recipients change, and whether an update needs the API
// at all (updateSendsPut).

func secretLifecycleAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"secret_version": schema.Int64Attribute{
			MarkdownDescription: "`1` when the first `secret` is stored, then `+1` each time the stored secret changes; " +
				"null until one is stored (after import). Unknown in any plan that may change the secret, known " +
				"otherwise: key a downstream write-only argument on it (such as `secret_string_wo_version`) so the " +
				"secret is copied when, and only when, it changes.",
			Computed: true,
		},
		"secret_fingerprint": schema.StringAttribute{
			MarkdownDescription: "The first 16 lowercase hex characters of the SHA-256 of the stored secret, null while " +
				"there is none. Computed when the secret is stored, so it is there too when only `secret_ciphertext` " +
				"holds the secret. Not sensitive: compare it with the fingerprints a `glossiwebhook.Verifier` prints to " +
				"check that a receiver holds the stored secret, without seeing either.",
			Computed: true,
		},
		"previous_secret": schema.StringAttribute{
			MarkdownDescription: "The secret that `secret` replaced when the stored secret last changed; null until " +
				"the first rotation. Give it to the receiver along with `secret` until Glossi's retries of deliveries " +
				"signed with it are over: an hour after `secret_rotated_at` (see \"Rotating the secret without losing " +
				"deliveries\"). Null when `secret_recipients` " +
				"is set: see `previous_secret_ciphertext`.",
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
	m.SecretCiphertext = prior.SecretCiphertext
	m.SecretVersion = prior.SecretVersion
	m.SecretFingerprint = prior.SecretFingerprint
	m.PreviousSecret = prior.PreviousSecret
	m.PreviousSecretCiphertext = prior.PreviousSecretCiphertext
	m.SecretRotatedAt = prior.SecretRotatedAt
}

// clearSecret empties the secret and its lifecycle, before a create stores the first one.
func (m *webhookResourceModel) clearSecret() {
	m.carrySecretFrom(webhookResourceModel{})
}

// storeSecret records answer, the secret an API answer held ("" for none), at now: the one place
// where the secret in state becomes the one Glossi signs with. A new secret bumps
// secret_version; when it replaces one, that one, in the form it was kept, becomes the previous
// secret. The secret already stored keeps its form, so that secret_ciphertext changes only with
// the secret or the recipients (unsealWith, on a renewal, gives the plaintext back to encrypt to
// the new ones). A refresh has no answer and changes nothing. With recipients set, what is in
// plaintext is encrypted (sealSecret); a secret that cannot be is not stored: the model keeps what
// it stored before, less anything in plaintext, and secret_version does not move.
func (m *webhookResourceModel) storeSecret(answer string, now time.Time) error {
	m.nullUnknownSecretFields()
	before := *m
	if answer != "" && !m.holdsSecret(answer) {
		if m.hasSecret() {
			m.PreviousSecret, m.PreviousSecretCiphertext = m.Secret, m.SecretCiphertext
			m.SecretRotatedAt = types.StringValue(now.UTC().Format(time.RFC3339))
		}
		m.SecretVersion = types.Int64Value(m.SecretVersion.ValueInt64() + 1)
		m.Secret, m.SecretCiphertext = types.StringValue(answer), types.StringNull()
	}
	switch {
	case !m.hasSecret():
		m.SecretFingerprint = types.StringNull()
	case !m.Secret.IsNull():
		// Computed from the plaintext whenever it is at hand: a ciphertext keeps the one stored with it.
		m.SecretFingerprint = types.StringValue(glossiwebhook.Fingerprint(m.Secret.ValueString()))
	}
	if m.hasSecret() && m.SecretVersion.IsNull() {
		m.SecretVersion = types.Int64Value(1) // a state written before secret_version existed
	}
	err := m.sealSecret()
	if err != nil {
		m.carrySecretFrom(before)
		m.Secret, m.PreviousSecret = types.StringNull(), types.StringNull() // recipients are set: sealSecret failed
		if !m.hasSecret() {
			m.SecretFingerprint = types.StringNull()
		}
	}
	return err
}

// unsealWith gives the stored secret back in plaintext when only its ciphertext is kept and
// answer, the secret an API answer held, is it (by secret_fingerprint): the provider cannot
// decrypt, but the API just returned it. storeSecret then encrypts it to the recipients of this
// apply, or keeps it in plaintext when there are none.
func (m *webhookResourceModel) unsealWith(answer string) {
	if answer != "" && m.Secret.IsNull() && m.holdsSecret(answer) {
		m.Secret, m.SecretCiphertext = types.StringValue(answer), types.StringNull()
	}
}

// answerSecretStored reports whether model, the state written from answer, holds the secret the
// answer carried: storeSecret stores none it cannot encrypt.
func answerSecretStored(answer *glossi.Webhook, model webhookResourceModel) bool {
	return answer.Secret != "" && model.holdsSecret(answer.Secret)
}

// hasSecret reports whether a secret is stored, in plaintext or encrypted.
func (m webhookResourceModel) hasSecret() bool {
	return !m.Secret.IsNull() || !m.SecretCiphertext.IsNull()
}

// holdsSecret reports whether the stored secret is answer: by its plaintext, or by
// secret_fingerprint when only its ciphertext is kept (the provider cannot decrypt it).
func (m webhookResourceModel) holdsSecret(answer string) bool {
	if !m.Secret.IsNull() {
		return m.Secret.ValueString() == answer
	}
	return !m.SecretCiphertext.IsNull() && m.SecretFingerprint.ValueString() == glossiwebhook.Fingerprint(answer)
}

func (m *webhookResourceModel) nullUnknownSecretFields() {
	for _, s := range []*types.String{&m.Secret, &m.SecretCiphertext, &m.SecretFingerprint, &m.PreviousSecret,
		&m.PreviousSecretCiphertext, &m.SecretRotatedAt} {
		if s.IsUnknown() {
			*s = types.StringNull()
		}
	}
	if m.SecretVersion.IsUnknown() {
		m.SecretVersion = types.Int64Null()
	}
}

// renewsSecret reports whether an update from state to plan stores the secret the API returns
// anew, encrypted to this apply's recipients even when it is the stored one: when the lifecycle
// says the stored one may be stale (a change of recipients answered without a secret leaves its
// ciphertext encrypted to the old ones, and the secret "may be stale"), or when the recipients
// change while a secret is stored (the provider keeps no plaintext to encrypt again).
func renewsSecret(lifecycle webhookLifecycle, plan, state webhookResourceModel) bool {
	return lifecycle.planFor().storeNewSecret || storedSecretRecipientsChange(plan, state) != recipientsKept
}

// storedSecretRecipientsChange is how the recipients change from state to plan while a secret is
// stored, which the stored ciphertext cannot follow; recipientsKept when no secret is stored.
func storedSecretRecipientsChange(plan, state webhookResourceModel) recipientsChange {
	if !state.hasSecret() {
		return recipientsKept
	}
	return recipientsChangeOf(plan.SecretRecipients, state.SecretRecipients)
}

// updateSendsPut reports whether an update from state to plan sends a PUT: when the plan changes
// a setting of the API's (sameSettings, against what the API last answered), rotates the secret
// (rotate_secret_triggers) or renews it (renewsSecret). Otherwise the update only records the
// plan: secret_recipients set after an import, with no secret stored, or a setting in an
// equivalent form. A PUT would fetch a secret no one asked for, and on an API that rotates on
// update take from receivers the one they have. A plan that does not know its settings or
// recipients yet may send one: its apply, which knows them, decides.
func updateSendsPut(ctx context.Context, lifecycle webhookLifecycle, plan, state webhookResourceModel) bool {
	if !plan.settingsKnown() || plan.SecretRecipients.IsUnknown() {
		return true
	}
	return rotationRequested(plan, state) || renewsSecret(lifecycle, plan, state) ||
		!sameSettings(settingsOfModel(ctx, plan), lifecycle.lastWritten(settingsOfModel(ctx, state)))
}

// planUpdatedSecret makes an update's plan say what its apply does to the secret: nothing when it
// sends no PUT (the secret's attributes as in state); else a new secret when renewsSecret says so,
// each reason with its warning, and in which form it will be stored (planSecretForm).
func planUpdatedSecret(ctx context.Context, lifecycle webhookLifecycle, plan, state webhookResourceModel, resp *resource.ModifyPlanResponse) {
	if !updateSendsPut(ctx, lifecycle, plan, state) {
		plan.carrySecretFrom(state)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
		return
	}
	if lifecycle.planFor().warnMayBeStale {
		addSecretMayBeStaleWarning(&resp.Diagnostics)
	}
	if change := storedSecretRecipientsChange(plan, state); change != recipientsKept {
		addRecipientsChangedWarning(&resp.Diagnostics, change)
	}
	if renewsSecret(lifecycle, plan, state) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("secret_version"), types.Int64Unknown())...)
		for _, name := range []string{"secret", "secret_ciphertext", "secret_fingerprint", "previous_secret",
			"previous_secret_ciphertext", "secret_rotated_at"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
	}
	planSecretForm(ctx, plan.SecretRecipients, state, resp)
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

// maskSecretsOf makes client mask every secret the state knows for this webhook, in errors and
// logs.
func maskSecretsOf(client *glossi.Client, state webhookResourceModel) {
	client.MaskSecret(state.Secret.ValueString())
	client.MaskSecret(state.PreviousSecret.ValueString())
}

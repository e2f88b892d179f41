package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// The secret encrypted to age recipients: with secret_recipients set, the state holds no secret
// in plaintext, only secret_ciphertext and previous_secret_ciphertext. The provider keeps no
// plaintext and cannot decrypt, so it encrypts only what it holds in plaintext at the moment it
// stores a secret (sealSecret, from storeSecret), keeps the ciphertext of a secret the API
// returns again, and asks the API for the secret again when a plan changes the recipients of a
// stored one (renewsSecret).

func secretEncryptionAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"secret_recipients": schema.SetAttribute{
			MarkdownDescription: "Keep the secret out of state in plaintext: [age](https://age-encryption.org) " +
				"X25519 recipients (`age1...`, from `age-keygen`) and SSH public keys (`ssh-ed25519 ...`, " +
				"`ssh-rsa ...`). When set, `secret` and `previous_secret` are null, and `secret_ciphertext` and " +
				"`previous_secret_ciphertext` hold the secrets encrypted to every recipient. Changing them, or " +
				"setting or removing them, plans an update that stores the secret the API returns (the provider " +
				"keeps no plaintext to encrypt again), with a warning; an API that rotates on update rotates it then. " +
				"While no secret is stored (after an import), setting or changing them only records them, with no " +
				"request to the API: set `rotate_secret_triggers` to get the secret, encrypted.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(recipientValidator{}),
			},
		},
		"secret_ciphertext": schema.StringAttribute{
			MarkdownDescription: "With `secret_recipients` set: `secret`, encrypted to every recipient, as an " +
				"ASCII-armored age file (decrypt it with `age -d -i <identity>`, or `glossiwebhook/agesecret`). Not " +
				"sensitive. It changes only when the secret or the recipients do (age encryption is randomized: the " +
				"same secret encrypted again is another text); an update answered with the same secret, and a " +
				"refresh, keep it. Null without recipients.",
			Computed: true,
		},
		"previous_secret_ciphertext": schema.StringAttribute{
			MarkdownDescription: "`previous_secret` in the form it was kept: the `secret_ciphertext` it was, " +
				"encrypted to the recipients of its time (the provider cannot encrypt it again), and so also after " +
				"the recipients change or are removed, until the next rotation replaces it: a receiver that holds " +
				"only a new recipient's identity, or only the plaintext `secret`, cannot read it. Null until the " +
				"first rotation, and while the secret it replaced was kept in plaintext (`previous_secret`).",
			Computed: true,
		},
	}
}

// recipients are the secret's recipients; none when secret_recipients is null.
func (m webhookResourceModel) recipients() []string {
	var out []string
	for _, e := range m.SecretRecipients.Elements() {
		if s, ok := e.(types.String); ok {
			out = append(out, s.ValueString())
		}
	}
	return out
}

// sealSecret encrypts to the recipients whatever secret the model holds in plaintext, and drops
// the plaintext: with recipients set, nothing leaves this function in plaintext, even on an
// error. Without recipients it changes nothing. What is already a ciphertext stays as it is.
func (m *webhookResourceModel) sealSecret() error {
	recipients := m.recipients()
	if len(recipients) == 0 {
		return nil
	}
	var firstErr error
	for _, s := range []struct{ plain, sealed *types.String }{
		{&m.Secret, &m.SecretCiphertext}, {&m.PreviousSecret, &m.PreviousSecretCiphertext},
	} {
		if s.plain.IsNull() {
			continue
		}
		ciphertext, err := agesecret.Encrypt(s.plain.ValueString(), recipients)
		*s.plain, *s.sealed = types.StringNull(), types.StringValue(ciphertext)
		if err != nil {
			*s.sealed = types.StringNull()
			firstErr = errors.Join(firstErr, err)
		}
	}
	return firstErr
}

// recipientsChange is what a plan does to secret_recipients.
type recipientsChange string

const (
	recipientsKept    recipientsChange = ""
	recipientsAdded   recipientsChange = "added"   // encryption turned on
	recipientsChanged recipientsChange = "changed" // other recipients
	recipientsRemoved recipientsChange = "removed" // encryption turned off
)

// recipientsChangeOf compares planned recipients with stored ones. Unknown planned recipients are
// no change yet: the plan that knows them says.
func recipientsChangeOf(planned, stored types.Set) recipientsChange {
	switch {
	case planned.IsUnknown() || planned.IsNull() && stored.IsNull():
		return recipientsKept
	case stored.IsNull():
		return recipientsAdded
	case planned.IsNull():
		return recipientsRemoved
	case !planned.Equal(stored): // as sets: order does not matter
		return recipientsChanged
	}
	return recipientsKept
}

// planSecretForm makes the plan say in which form the apply stores the secret, where it can tell.
// With recipients known, secret and previous_secret are null (not "known after apply"). Without
// recipients, a ciphertext null in state stays null (only recipients make one): secret_ciphertext,
// and previous_secret_ciphertext when secret_ciphertext, which a rotation moves there, is null
// too. planned is the planned secret_recipients; state is the state before the apply, empty on a
// create.
func planSecretForm(ctx context.Context, planned types.Set, state webhookResourceModel, resp *resource.ModifyPlanResponse) {
	var nulls []string
	switch {
	case planned.IsUnknown():
	case !planned.IsNull():
		nulls = []string{"secret", "previous_secret"}
	case state.SecretCiphertext.IsNull() && state.PreviousSecretCiphertext.IsNull():
		nulls = []string{"secret_ciphertext", "previous_secret_ciphertext"}
	case state.SecretCiphertext.IsNull():
		nulls = []string{"secret_ciphertext"}
	}
	for _, name := range nulls {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringNull())...)
	}
}

var _ validator.String = recipientValidator{}

// recipientValidator accepts what agesecret encrypts to: an age X25519 recipient or an SSH
// ed25519 or RSA public key.
type recipientValidator struct{}

func (v recipientValidator) Description(_ context.Context) string {
	return "value must be an age X25519 recipient (age1...) or an SSH ed25519 or RSA public key"
}

func (v recipientValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v recipientValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := agesecret.CheckRecipient(req.ConfigValue.ValueString()); err != nil {
		addInvalidRecipientError(&resp.Diagnostics, req.Path, err)
	}
}

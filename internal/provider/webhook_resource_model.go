package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The glossi_webhook resource's attributes as Go values, and what a PUT sends from them.

type webhookResourceModel struct {
	ID                   types.String `tfsdk:"id"`
	Account              types.String `tfsdk:"account"`
	URL                  types.String `tfsdk:"url"`
	Events               types.Set    `tfsdk:"events"`
	Enabled              types.Bool   `tfsdk:"enabled"`
	Description          types.String `tfsdk:"description"`
	Secret               types.String `tfsdk:"secret"`
	RotateSecretTriggers types.Map    `tfsdk:"rotate_secret_triggers"`
	SecretVersion        types.Int64  `tfsdk:"secret_version"`
	SecretFingerprint    types.String `tfsdk:"secret_fingerprint"`
	PreviousSecret       types.String `tfsdk:"previous_secret"`
	SecretRotatedAt      types.String `tfsdk:"secret_rotated_at"`

	SecretRecipients         types.Set    `tfsdk:"secret_recipients"`
	SecretCiphertext         types.String `tfsdk:"secret_ciphertext"`
	PreviousSecretCiphertext types.String `tfsdk:"previous_secret_ciphertext"`
}

// descriptionValue maps the API's two ways of saying "no description" (null and "") to whichever
// of the two the configuration uses, so neither causes a diff.
func descriptionValue(api *string, prior types.String) types.String {
	if api != nil && *api != "" {
		return types.StringValue(*api)
	}
	if !prior.IsNull() && !prior.IsUnknown() && prior.ValueString() == "" {
		return types.StringValue("")
	}
	return types.StringNull()
}

func (m webhookResourceModel) toInput(ctx context.Context) (glossi.WebhookInput, diag.Diagnostics) {
	var events []string
	diags := m.Events.ElementsAs(ctx, &events, false)
	return glossi.WebhookInput{
		URL:         m.URL.ValueString(),
		Events:      events,
		Enabled:     m.Enabled.ValueBool(),
		Description: m.Description.ValueString(),
	}, diags
}

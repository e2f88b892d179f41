package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The account of a glossi_webhook: which of the provider's API keys manages it.

func accountAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "The account the webhook belongs to: a name of the provider's `api_keys`. Omit it " +
			"for the account of the provider's `api_key`. Changing it replaces the resource: the webhook of the " +
			"old account is deleted and one is created in the new account.",
		Optional:      true,
		Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// plannedAccountClient is the client of the planned account (on destroy, the state's). It fails
// the plan, ok false, when that account is not configured, naming the configured accounts; the
// client is nil while the account is unknown, and before the provider is configured.
func plannedAccountClient(ctx context.Context, a *accounts, req resource.ModifyPlanRequest, diags *diag.Diagnostics) (client *glossi.Client, ok bool) {
	if a == nil {
		return nil, true
	}
	var account types.String
	origin := accountInConfig
	if req.Plan.Raw.IsNull() {
		origin = accountInState
		diags.Append(req.State.GetAttribute(ctx, path.Root("account"), &account)...)
	} else {
		diags.Append(req.Plan.GetAttribute(ctx, path.Root("account"), &account)...)
	}
	if diags.HasError() {
		return nil, false
	}
	if account.IsUnknown() {
		return nil, true
	}
	client = a.clientFor(account, origin, diags)
	return client, client != nil
}

// keepsImportedAccount fails the plan of a webhook that an import brought from one account into a
// resource whose configuration names another: the plan would import it and then replace it,
// deleting the webhook it imported from an account the configuration does not manage.
func keepsImportedAccount(lifecycle webhookLifecycle, state webhookResourceModel, planned types.String, diags *diag.Diagnostics) bool {
	if !lifecycle.Imported || planned.IsUnknown() || accountName(planned) == accountName(state.Account) {
		return true
	}
	addImportFromAnotherAccountError(diags, accountName(state.Account), accountName(planned), state.ID.ValueString())
	return false
}

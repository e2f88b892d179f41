package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The identity of a glossi_webhook (Terraform 1.12+): the account it belongs to and its id. It
// is what `import { identity = {...} }` and `terraform query` use, and it may change: a webhook
// replaced outside Terraform keeps its resource but gets a new id.

type webhookIdentityModel struct {
	Account types.String `tfsdk:"account"`
	ID      types.String `tfsdk:"id"`
}

func webhookIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"account": identityschema.StringAttribute{OptionalForImport: true,
				Description: "The account (a name of the provider's api_keys); null for the provider's api_key."},
			"id": identityschema.StringAttribute{RequiredForImport: true,
				Description: "The webhook's id, assigned by Glossi."},
		},
	}
}

// setWebhookIdentity sets the identity after a successful create, read or update: the account
// and id in state, or in prior when state has none. Terraform requires an identity after every
// successful read, even one that removes the resource (state is null) or follows a create whose
// outcome is unknown (the id is null, recorded as "").
func setWebhookIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, state, prior tfsdk.State) diag.Diagnostics {
	if identity == nil {
		return nil // the resource is not served with identity (never with this provider's schema)
	}
	source := state
	if state.Raw.IsNull() {
		source = prior
	}
	var model webhookIdentityModel
	diags := source.GetAttribute(ctx, path.Root("account"), &model.Account)
	diags.Append(source.GetAttribute(ctx, path.Root("id"), &model.ID)...)
	if model.ID.IsNull() || model.ID.IsUnknown() {
		model.ID = types.StringValue("")
	}
	diags.Append(identity.Set(ctx, model)...)
	return diags
}

// importWebhook takes "<account>/<id>" or "<id>" (the default account), or an identity block, of
// an account of a, and records in the lifecycle that an import was requested.
func importWebhook(ctx context.Context, a *accounts, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	imported := parseImportID(req.ID)
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		resp.Diagnostics.Append(req.Identity.Get(ctx, &imported)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if strings.TrimSpace(imported.ID.ValueString()) == "" {
		addEmptyImportIDError(&resp.Diagnostics, accountName(imported.Account))
		return
	}
	if imported.Account.ValueString() == "" {
		imported.Account = types.StringNull()
	}
	if a != nil && a.clientFor(imported.Account, accountInImport, &resp.Diagnostics) == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), imported.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account"), imported.Account)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.Set(ctx, imported)...)
	}
	// The Read that follows, in the same command, checks the id (readImported).
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, newLifecycle().after(stepImportRequested, ""))...)
}

// importIDOf is the import id of the webhook id of account: the inverse of parseImportID.
func importIDOf(account, id string) string {
	if account == defaultAccount {
		return id
	}
	return account + "/" + id
}

// parseImportID splits "<account>/<id>" at its last slash; an id alone is the default account's.
func parseImportID(importID string) webhookIdentityModel {
	i := strings.LastIndex(importID, "/")
	if i < 0 {
		return webhookIdentityModel{Account: types.StringNull(), ID: types.StringValue(importID)}
	}
	return webhookIdentityModel{Account: types.StringValue(importID[:i]), ID: types.StringValue(importID[i+1:])}
}

// setIdentityOnSuccess sets the identity from state (or prior) unless the operation failed.
// Create, Read and Update defer it first thing, so that every way they succeed sets one.
func setIdentityOnSuccess(ctx context.Context, diags *diag.Diagnostics, identity *tfsdk.ResourceIdentity, state *tfsdk.State, prior tfsdk.State) {
	if diags.HasError() {
		return
	}
	diags.Append(setWebhookIdentity(ctx, identity, *state, prior)...)
}

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

var (
	_ list.ListResource              = (*webhookListResource)(nil)
	_ list.ListResourceWithConfigure = (*webhookListResource)(nil)
)

// webhookListResource lists the webhooks of the configured accounts for `terraform query`
// (Terraform 1.14+): one result per account that has a webhook.
type webhookListResource struct {
	accounts *accounts
}

type webhookListConfigModel struct {
	Accounts []string `tfsdk:"accounts"`
}

// NewWebhookListResource returns the glossi_webhook list resource.
func NewWebhookListResource() list.ListResource {
	return &webhookListResource{}
}

func (l *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (l *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the webhooks of the provider's accounts: one result per configured account " +
			"(`api_key` and each of `api_keys`) that has a webhook, with its identity (`account` and `id`).",
		Attributes: map[string]schema.Attribute{
			"accounts": schema.ListAttribute{
				MarkdownDescription: "The accounts to list, by their names in `api_keys`; `\"\"` is the account of " +
					"`api_key`. Defaults to every configured account.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.List{listvalidator.UniqueValues()},
			},
		},
	}
}

func (l *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.accounts = accountsFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	ctx = l.accounts.masked(ctx)
	var config webhookListConfigModel
	diags := req.Config.Get(ctx, &config)
	if l.accounts == nil && !diags.HasError() {
		addUnconfiguredProviderError(&diags, nil)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	names := l.accounts.selected(config.Accounts, path.Root("accounts"), &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, name := range names {
			result, found := l.result(ctx, req, name)
			if found && !push(result) {
				return
			}
		}
	}
}

// result is the list result of the account's webhook; found is false when it has none.
func (l *webhookListResource) result(ctx context.Context, req list.ListRequest, name string) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	webhook, err := l.accounts.clients[name].Get(ctx)
	if glossi.IsNotFound(err) {
		return result, false
	}
	if err != nil {
		addWebhookAPIError(&result.Diagnostics, opLookUp, name, err)
		return result, true
	}
	account := types.StringValue(name)
	if name == defaultAccount {
		account = types.StringNull()
	}
	result.DisplayName = listDisplayName(name, webhook.URL)
	result.Diagnostics.Append(result.Identity.Set(ctx, webhookIdentityModel{Account: account, ID: types.StringValue(webhook.ID)})...)
	if req.IncludeResource {
		setListedResource(ctx, &result, account, webhook)
	}
	return result, true
}

// setListedResource fills the result's resource with what the API returns: enough for
// -generate-config-out to write a resource block that imports without changes.
func setListedResource(ctx context.Context, result *list.ListResult, account types.String, webhook *glossi.Webhook) {
	events, diags := types.SetValueFrom(ctx, types.StringType, webhook.Events)
	result.Diagnostics.Append(diags...)
	values := map[string]any{
		"id":          types.StringValue(webhook.ID),
		"account":     account,
		"url":         types.StringValue(webhook.URL),
		"events":      events,
		"enabled":     types.BoolValue(webhook.Enabled),
		"description": descriptionValue(webhook.Description, types.StringNull()),
	}
	for name, value := range values {
		result.Diagnostics.Append(result.Resource.SetAttribute(ctx, path.Root(name), value)...)
	}
}

// listDisplayName names the account and the URL, as `terraform query` shows each result.
func listDisplayName(account, url string) string {
	if account == defaultAccount {
		return "webhook of the api_key account to " + url
	}
	return fmt.Sprintf("webhook of account %q to %s", account, url)
}

package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"golang.org/x/sync/errgroup"

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
			"(`api_key` and each of `api_keys`) that has a webhook, with its identity (`account` and `id`). An account " +
			"that cannot be read is a warning naming it while others are listed, an error when none is.",
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
		for _, result := range listResults(ctx, req, fetchWebhooks(ctx, l.accounts, names)) {
			if !push(result) {
				return
			}
		}
	}
}

// listConcurrency is how many accounts the list reads at once: enough to hide the round trips to
// a distant API, few enough not to look like a flood to it.
const listConcurrency = 8

// listedAccount is what the list found in one account: its webhook, none, or why it could not
// tell.
type listedAccount struct {
	account string
	webhook *glossi.Webhook // nil when the account has none, or on err
	err     error
}

// fetchWebhooks reads the webhook of each account of names, listConcurrency at a time, and
// returns them in the order of names. An account's failure is its own: the others are read.
func fetchWebhooks(ctx context.Context, a *accounts, names []string) []listedAccount {
	found := make([]listedAccount, len(names))
	var g errgroup.Group
	g.SetLimit(listConcurrency)
	for i, name := range names {
		g.Go(func() error {
			webhook, err := a.clients[name].Get(ctx)
			if glossi.IsNotFound(err) {
				webhook, err = nil, nil
			}
			found[i] = listedAccount{account: name, webhook: webhook, err: err}
			return nil
		})
	}
	_ = g.Wait() // every function returns nil
	return found
}

// listResults is the stream of what was found: first one result with the diagnostics (Terraform
// stops reading at its limit, and reads only the first result that holds an error), then a result
// per webhook, in the order found, up to the limit. An account that failed is a warning while any
// other answered, and an error when none did: an error makes Terraform drop every result.
func listResults(ctx context.Context, req list.ListRequest, found []listedAccount) []list.ListResult {
	answered := slices.ContainsFunc(found, func(f listedAccount) bool { return f.err == nil })
	var diags diag.Diagnostics
	var listed []listedAccount
	for _, f := range found {
		switch {
		case f.err != nil:
			diags.Append(accountNotListed(f.account, f.err, answered))
		case f.webhook != nil:
			listed = append(listed, f)
		}
	}
	if req.Limit > 0 && int64(len(listed)) > req.Limit {
		diags.Append(listLimitReached(len(listed), req.Limit, listed[req.Limit].account))
		listed = listed[:req.Limit]
	}
	results := make([]list.ListResult, 0, len(listed))
	for _, f := range listed {
		results = append(results, listResult(ctx, req, f.account, f.webhook))
	}
	if len(diags) == 0 {
		return results
	}
	return append([]list.ListResult{{Diagnostics: diags}}, results...)
}

// listResult is the list result of the webhook of account.
func listResult(ctx context.Context, req list.ListRequest, account string, webhook *glossi.Webhook) list.ListResult {
	result := req.NewListResult(ctx)
	accountValue := types.StringValue(account)
	if account == defaultAccount {
		accountValue = types.StringNull()
	}
	result.DisplayName = listDisplayName(account, webhook.URL)
	result.Diagnostics.Append(result.Identity.Set(ctx, webhookIdentityModel{Account: accountValue, ID: types.StringValue(webhook.ID)})...)
	if req.IncludeResource {
		setListedResource(ctx, &result, accountValue, webhook)
	}
	return result
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

// listDisplayName names the account and the URL, as `terraform query` shows each result. The URL
// shows without its credentials and query, which may hold a token.
func listDisplayName(account, url string) string {
	url = glossi.RedactURL(url)
	if account == defaultAccount {
		return "webhook of the api_key account to " + url
	}
	return fmt.Sprintf("webhook of account %q to %s", account, url)
}

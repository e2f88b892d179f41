package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

var (
	_ datasource.DataSource              = (*webhookDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*webhookDataSource)(nil)
)

type webhookDataSource struct {
	accounts *accounts
}

type webhookDataSourceModel struct {
	Account            types.String `tfsdk:"account"`
	ID                 types.String `tfsdk:"id"`
	URL                types.String `tfsdk:"url"`
	Events             types.Set    `tfsdk:"events"`
	Enabled            types.Bool   `tfsdk:"enabled"`
	Description        types.String `tfsdk:"description"`
	LastTriggeredAt    types.String `tfsdk:"last_triggered_at"`
	LastResponseStatus types.Int64  `tfsdk:"last_response_status"`
	FailureCount       types.Int64  `tfsdk:"failure_count"`
}

// NewWebhookDataSource returns the glossi_webhook data source.
func NewWebhookDataSource() datasource.DataSource {
	return &webhookDataSource{}
}

func (d *webhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (d *webhookDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Glossi account's webhook and the health of its deliveries. " +
			"The signing secret is not available here: the API returns it only when the webhook is created or updated.",
		Attributes: map[string]schema.Attribute{
			"account": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "The account to read: a name of the provider's `api_keys`. Omit it for the account " +
					"of the provider's `api_key`."},
			"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "The webhook's id."},
			"url":         schema.StringAttribute{Computed: true, MarkdownDescription: "The URL Glossi POSTs deliveries to."},
			"events":      schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The events delivered."},
			"enabled":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Glossi sends deliveries."},
			"description": schema.StringAttribute{Computed: true, MarkdownDescription: "The webhook's description; null when it has none."},
			"last_triggered_at": schema.StringAttribute{Computed: true, MarkdownDescription: "When Glossi last attempted a " +
				"delivery, as an RFC 3339 timestamp; null when it never has."},
			"last_response_status": schema.Int64Attribute{Computed: true, MarkdownDescription: "The HTTP status the " +
				"receiver answered the last delivery attempt with. Null before the first delivery, and when the last " +
				"attempt got no HTTP answer at all (connection refused, timeout): `last_triggered_at` tells the two apart."},
			"failure_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "How many deliveries failed " +
				"after all their retries."},
		},
	}
}

func (d *webhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.accounts = accountsFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var account types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("account"), &account)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = d.accounts.masked(ctx)
	client := d.accounts.clientFor(account, accountInConfig, &resp.Diagnostics)
	if client == nil {
		return
	}
	webhook, err := client.Get(ctx)
	if glossi.IsNotFound(err) {
		addNoWebhookError(&resp.Diagnostics, accountName(account))
		return
	}
	if err != nil {
		addWebhookAPIError(&resp.Diagnostics, opLookUp, accountName(account), err)
		return
	}
	model := newWebhookDataSourceModel(ctx, webhook, &resp.Diagnostics)
	model.Account = account
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}

func newWebhookDataSourceModel(ctx context.Context, webhook *glossi.Webhook, diags *diag.Diagnostics) webhookDataSourceModel {
	events, d := types.SetValueFrom(ctx, types.StringType, webhook.Events)
	diags.Append(d...)
	return webhookDataSourceModel{
		ID:                 types.StringValue(webhook.ID),
		URL:                types.StringValue(webhook.URL),
		Events:             events,
		Enabled:            types.BoolValue(webhook.Enabled),
		Description:        descriptionValue(webhook.Description, types.StringNull()),
		LastTriggeredAt:    types.StringPointerValue(webhook.LastTriggeredAt),
		LastResponseStatus: types.Int64PointerValue(webhook.LastResponseStatus),
		FailureCount:       types.Int64Value(webhook.FailureCount),
	}
}

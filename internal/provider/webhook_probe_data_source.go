package provider

import (
	"context"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

const defaultProbeTimeout = 10 * time.Second

var (
	_ datasource.DataSource = (*webhookProbeDataSource)(nil)
	_ validator.String      = secretValidator{}
)

// webhookProbeDataSource sends a receiver a signed and a forged test delivery. It needs no API
// key, so it takes nothing from the provider's configuration.
type webhookProbeDataSource struct {
	prober *probe.Prober
}

type webhookProbeDataSourceModel struct {
	URL               types.String `tfsdk:"url"`
	Secret            types.String `tfsdk:"secret"`
	Timeout           types.String `tfsdk:"timeout"`
	SignatureAccepted types.Bool   `tfsdk:"signature_accepted"`
	ForgeryRejected   types.Bool   `tfsdk:"forgery_rejected"`
	SignedStatus      types.Int64  `tfsdk:"signed_status"`
	ForgedStatus      types.Int64  `tfsdk:"forged_status"`
	LatencyMS         types.Int64  `tfsdk:"latency_ms"`
	Error             types.String `tfsdk:"error"`
}

// NewWebhookProbeDataSource returns the glossi_webhook_probe data source.
func NewWebhookProbeDataSource() datasource.DataSource {
	return &webhookProbeDataSource{
		prober: probe.New(cleanhttp.DefaultPooledTransport(), "terraform-provider-glossi (glossi_webhook_probe)"),
	}
}

func (d *webhookProbeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_probe"
}

func (d *webhookProbeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks that a webhook receiver accepts deliveries signed with the secret and refuses forged " +
			"ones. On every read it POSTs the receiver one probe delivery signed with `secret`, then the same body with a " +
			"forged signature. It calls the receiver only, never the Glossi API. A receiver that cannot be reached is a " +
			"result (`error` set, both checks false), not an error.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{Required: true, Validators: []validator.String{urlValidator{}},
				MarkdownDescription: "The receiver's URL, such as `glossi_webhook.main.url`."},
			"secret": schema.StringAttribute{Required: true, Sensitive: true, Validators: []validator.String{secretValidator{}},
				MarkdownDescription: "The secret to sign the probe with, such as `glossi_webhook.main.secret`. It must pass " +
					"the `glossiwebhook` package's `CheckSecret`, as the provider functions' secrets do."},
			"timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{durationValidator{}},
				MarkdownDescription: "How long each of the two deliveries may take to be answered, as a Go duration such as " +
					"`\"5s\"`. Defaults to `\"" + defaultProbeTimeout.String() + "\"`."},
			"signature_accepted": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the signed delivery " +
				"was answered with a 2xx, as Glossi counts a delivery delivered."},
			"forgery_rejected": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the delivery with the " +
				"forged signature was refused with 401 or 403."},
			"signed_status": schema.Int64Attribute{Computed: true, MarkdownDescription: "The HTTP status that answered " +
				"the signed delivery; null when it got no answer."},
			"forged_status": schema.Int64Attribute{Computed: true, MarkdownDescription: "The HTTP status that answered " +
				"the forged delivery; null when it got no answer."},
			"latency_ms": schema.Int64Attribute{Computed: true, MarkdownDescription: "How long the signed delivery took " +
				"to be answered, in milliseconds; null when it got no answer."},
			"error": schema.StringAttribute{Computed: true, MarkdownDescription: "Why a delivery got no answer (connection " +
				"refused, timeout, ...), or that no receiver answered at `url` (the signed delivery got a 404 or a " +
				"redirect); null otherwise. The URL's credentials and query are redacted in it."},
		},
	}
}

func (d *webhookProbeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model webhookProbeDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := defaultProbeTimeout
	if !model.Timeout.IsNull() {
		// The validator has accepted it.
		timeout, _ = time.ParseDuration(model.Timeout.ValueString())
	}
	result := d.prober.Send(ctx, model.URL.ValueString(), model.Secret.ValueString(), timeout)
	resp.Diagnostics.Append(resp.State.Set(ctx, model.withResult(result))...)
}

func (m webhookProbeDataSourceModel) withResult(r probe.Result) webhookProbeDataSourceModel {
	m.SignatureAccepted = types.BoolValue(r.SignatureAccepted())
	m.ForgeryRejected = types.BoolValue(r.ForgeryRejected())
	m.SignedStatus = statusValue(r.SignedStatus)
	m.ForgedStatus = statusValue(r.ForgedStatus)
	m.LatencyMS = types.Int64Null()
	if r.SignedStatus != 0 {
		m.LatencyMS = types.Int64Value(r.Latency.Milliseconds())
	}
	m.Error = types.StringNull()
	if r.Err != nil {
		m.Error = types.StringValue(r.Err.Error())
	}
	return m
}

func statusValue(status int) types.Int64 {
	if status == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(status))
}

// secretValidator applies glossiwebhook's secret rule with the provider functions' message
// (secretProblem). It checks null too: the framework then also reports the attribute missing,
// but the user reads the words a null function argument gets.
type secretValidator struct{}

func (v secretValidator) Description(_ context.Context) string {
	return "value must be a webhook secret (glossiwebhook.CheckSecret)"
}

func (v secretValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v secretValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsUnknown() {
		return
	}
	if problem := secretProblem(req.ConfigValue); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Webhook Secret", problem)
	}
}

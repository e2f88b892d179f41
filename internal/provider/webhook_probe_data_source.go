package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

var (
	_ datasource.DataSource = (*webhookProbeDataSource)(nil)
	_ validator.String      = secretValidator{}
)

// webhookProbeDataSource sends a receiver a signed and a forged test delivery. It needs no API
// key, so it takes nothing from the provider's configuration. Its arguments, results and run are
// those of the ephemeral resource (webhook_probe_schema.go); only it keeps them in state.
type webhookProbeDataSource struct {
	prober *probe.Prober
}

// NewWebhookProbeDataSource returns the glossi_webhook_probe data source.
func NewWebhookProbeDataSource() datasource.DataSource {
	return &webhookProbeDataSource{
		prober: probe.New(probeTransport, "terraform-provider-glossi (glossi_webhook_probe)"),
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
			"result (`error` set, both checks false), not an error.\n\n" +
			"A data source keeps its arguments in state, `secret` included (as a sensitive value): a second copy of the " +
			"secret beside the resource's. On Terraform 1.10 and later, and OpenTofu 1.11 and later, use the " +
			"`glossi_webhook_probe` ephemeral resource instead: the same arguments and results, in neither state nor " +
			"plan. This data source stays for older versions.",
		Attributes: dataSourceProbeAttributes(),
	}
}

func (d *webhookProbeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model webhookProbeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, runProbe(ctx, d.prober, model))...)
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

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"

	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

var _ ephemeral.EphemeralResource = (*webhookProbeEphemeral)(nil)

// webhookProbeEphemeral is the glossi_webhook_probe data source as an ephemeral resource
// (Terraform 1.10+): the same arguments, the same probe, the same results, kept in neither state
// nor plan, so the secret it signs with is not copied there.
type webhookProbeEphemeral struct {
	prober *probe.Prober
}

// NewWebhookProbeEphemeralResource returns the glossi_webhook_probe ephemeral resource.
func NewWebhookProbeEphemeralResource() ephemeral.EphemeralResource {
	return &webhookProbeEphemeral{
		prober: probe.New(probeTransport, "terraform-provider-glossi (glossi_webhook_probe ephemeral resource)"),
	}
}

func (e *webhookProbeEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_probe"
}

func (e *webhookProbeEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks that a webhook receiver accepts deliveries signed with the secret and refuses forged " +
			"ones, as the `glossi_webhook_probe` data source does, without keeping anything in state or plan: " +
			"`secret` is not copied there. Each time Terraform opens it (in every plan and apply that needs it) it " +
			"POSTs the receiver one probe delivery signed with `secret`, then the same body with a forged signature. " +
			"It calls the receiver only, never the Glossi API. A receiver that cannot be reached is a result (`error` " +
			"set, both checks false), not an error: fail on it with a `postcondition`. Terraform 1.10 or newer " +
			"(OpenTofu 1.11 or newer); on older versions use the data source.",
		Attributes: ephemeralProbeAttributes(),
	}
}

func (e *webhookProbeEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var model webhookProbeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, runProbe(ctx, e.prober, model))...)
}

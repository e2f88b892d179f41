package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

var (
	_ action.Action               = (*webhookProbeAction)(nil)
	_ action.ActionWithModifyPlan = (*webhookProbeAction)(nil)
)

// webhookProbeAction sends a receiver the same signed and forged deliveries as the
// glossi_webhook_probe data source, and fails unless the receiver accepts the first and refuses
// the second. It needs no API key.
type webhookProbeAction struct {
	prober *probe.Prober
}

// webhookProbeActionModel is the action's config. Terraform 1.15 and 1.16 refuse write-only
// action attributes (the CLI does not send the write-only capability with actions) and the
// framework has no sensitive ones, so secret is neither; a reference to a sensitive value
// (glossi_webhook.x.secret) still keeps it out of plan output.
type webhookProbeActionModel struct {
	URL     types.String `tfsdk:"url"`
	Secret  types.String `tfsdk:"secret"`
	Timeout types.String `tfsdk:"timeout"`
}

// NewWebhookProbeAction returns the glossi_webhook_probe action.
func NewWebhookProbeAction() action.Action {
	return &webhookProbeAction{
		prober: probe.New(probeTransport, "terraform-provider-glossi (glossi_webhook_probe action)"),
	}
}

func (a *webhookProbeAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_probe"
}

func (a *webhookProbeAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks a webhook receiver and fails unless it accepts a delivery signed with `secret` " +
			"(answers with a 2xx) and refuses the same delivery with a forged signature (401 or 403). It POSTs the receiver the probe " +
			"deliveries of the `glossi_webhook_probe` data source and never calls the Glossi API. Run it once the " +
			"receiver has the webhook's secret, from the resource that delivers it (`lifecycle { action_trigger { ... } }`), " +
			"or by hand with `terraform apply -invoke=action.glossi_webhook_probe.<name>`. Terraform 1.14 or newer.",
		Attributes: probeActionAttributes(),
	}
}

// probeActionArguments are the action's attributes, in the order validate checks them: the
// arguments of the data source (probeAttributes), with their validators and descriptions.
var probeActionArguments = []string{"url", "secret", "timeout"}

// probeActionSecretDescription replaces the data source's description of secret, which the
// action cannot mark sensitive.
const probeActionSecretDescription = "The secret to sign the probe with, such as `glossi_webhook.main.secret`. " +
	"Pass a reference to a sensitive value, never a literal: action attributes cannot be sensitive, " +
	"and Terraform 1.15 and 1.16 refuse a write-only one, so a literal secret shows in the plan of " +
	"`terraform apply -invoke`, while a reference to `glossi_webhook.main.secret` or a sensitive " +
	"variable shows as `(sensitive value)`."

func probeActionAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for _, name := range probeActionArguments {
		a := probeAttributes[name]
		description := a.description
		if name == "secret" {
			description = probeActionSecretDescription
		}
		attrs[name] = schema.StringAttribute{Required: a.required, Optional: a.optional, Validators: a.validators,
			MarkdownDescription: description}
	}
	return attrs
}

// ModifyPlan refuses at plan a url, secret or timeout known to be unusable. Terraform validates
// an action's config only while the values that come from variables and other resources are
// still unknown, so the schema's validators never see those; Invoke checks again the values that
// were unknown at plan.
func (a *webhookProbeAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var config webhookProbeActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate(ctx)...)
}

func (a *webhookProbeAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config webhookProbeActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate(ctx)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := defaultProbeTimeout
	if !config.Timeout.IsNull() {
		// validate has accepted it.
		timeout, _ = time.ParseDuration(config.Timeout.ValueString())
	}
	url := config.URL.ValueString()
	shown := glossi.RedactURL(url)
	resp.SendProgress(action.InvokeProgressEvent{Message: "Sending a signed and a forged probe delivery to " + shown})
	result := a.prober.Send(ctx, url, config.Secret.ValueString(), timeout)
	addProbeFailure(&resp.Diagnostics, url, result)
	if !resp.Diagnostics.HasError() {
		resp.SendProgress(action.InvokeProgressEvent{Message: "The receiver at " + shown +
			" accepted the signed probe and refused the forged one"})
	}
}

// validate applies the schema's validators (probeAttributes) to the known values of the config:
// the one URL rule, the one secret rule (glossiwebhook.CheckSecret) and the duration rule, with
// their words.
func (m webhookProbeActionModel) validate(ctx context.Context) diag.Diagnostics {
	values := map[string]types.String{"url": m.URL, "secret": m.Secret, "timeout": m.Timeout}
	var diags diag.Diagnostics
	for _, name := range probeActionArguments {
		req := validator.StringRequest{Path: path.Root(name), ConfigValue: values[name]}
		for _, rule := range probeAttributes[name].validators {
			var resp validator.StringResponse
			rule.ValidateString(ctx, req, &resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	return diags
}

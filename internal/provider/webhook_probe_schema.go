package provider

import (
	"context"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephemeralschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

// The glossi_webhook_probe data source and ephemeral resource take the same arguments and report
// the same results: both are declared here once (probeAttributes, webhookProbeModel) and run
// through runProbe; they differ only in where the results go (state, or nowhere).

const defaultProbeTimeout = 10 * time.Second

// probeTransport is the one connection pool of the data source's, ephemeral resource's and
// action's probers. The framework calls their factories on every RPC: a transport made there would
// be made per RPC, its connections never reused and its idle ones left open.
var probeTransport = cleanhttp.DefaultPooledTransport()

type webhookProbeModel struct {
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

// probeAttribute is one attribute of the probe: an argument (required or optional string) or a
// result (computed).
type probeAttribute struct {
	kind        string // "string", "bool" or "int64"
	required    bool
	optional    bool
	sensitive   bool
	validators  []validator.String
	description string
}

var probeAttributes = map[string]probeAttribute{
	"url": {kind: "string", required: true, validators: []validator.String{urlValidator{}},
		description: "The receiver's URL, such as `glossi_webhook.main.url`."},
	"secret": {kind: "string", required: true, sensitive: true, validators: []validator.String{secretValidator{}},
		description: "The secret to sign the probe with, such as `glossi_webhook.main.secret`. It must pass " +
			"the `glossiwebhook` package's `CheckSecret`, as the provider functions' secrets do."},
	"timeout": {kind: "string", optional: true, validators: []validator.String{durationValidator{}},
		description: "How long each of the two deliveries may take to be answered, as a Go duration such as " +
			"`\"5s\"`. Defaults to `\"" + defaultProbeTimeout.String() + "\"`."},
	"signature_accepted": {kind: "bool", description: "Whether the signed delivery was answered with a 2xx, as " +
		"Glossi counts a delivery delivered."},
	"forgery_rejected": {kind: "bool", description: "Whether the delivery with the forged signature was refused " +
		"with 401 or 403."},
	"signed_status": {kind: "int64", description: "The HTTP status that answered the signed delivery; null when " +
		"it got no answer."},
	"forged_status": {kind: "int64", description: "The HTTP status that answered the forged delivery; null when " +
		"it got no answer."},
	"latency_ms": {kind: "int64", description: "How long the signed delivery took to be answered, in " +
		"milliseconds; null when it got no answer."},
	"error": {kind: "string", description: "Why a delivery got no answer (connection refused, timeout, ...), or " +
		"that no receiver answered at `url` (the signed delivery got a 404 or a redirect); null otherwise. The " +
		"URL's credentials and query are redacted in it."},
}

func (a probeAttribute) computed() bool { return !a.required && !a.optional }

func dataSourceProbeAttributes() map[string]datasourceschema.Attribute {
	attrs := map[string]datasourceschema.Attribute{}
	for name, a := range probeAttributes {
		switch a.kind {
		case "bool":
			attrs[name] = datasourceschema.BoolAttribute{Computed: true, MarkdownDescription: a.description}
		case "int64":
			attrs[name] = datasourceschema.Int64Attribute{Computed: true, MarkdownDescription: a.description}
		default:
			attrs[name] = datasourceschema.StringAttribute{Required: a.required, Optional: a.optional,
				Computed: a.computed(), Sensitive: a.sensitive, Validators: a.validators, MarkdownDescription: a.description}
		}
	}
	return attrs
}

func ephemeralProbeAttributes() map[string]ephemeralschema.Attribute {
	attrs := map[string]ephemeralschema.Attribute{}
	for name, a := range probeAttributes {
		switch a.kind {
		case "bool":
			attrs[name] = ephemeralschema.BoolAttribute{Computed: true, MarkdownDescription: a.description}
		case "int64":
			attrs[name] = ephemeralschema.Int64Attribute{Computed: true, MarkdownDescription: a.description}
		default:
			attrs[name] = ephemeralschema.StringAttribute{Required: a.required, Optional: a.optional,
				Computed: a.computed(), Sensitive: a.sensitive, Validators: a.validators, MarkdownDescription: a.description}
		}
	}
	return attrs
}

// runProbe sends the probe model's arguments ask for and returns model with its results.
func runProbe(ctx context.Context, prober *probe.Prober, model webhookProbeModel) webhookProbeModel {
	timeout := defaultProbeTimeout
	if !model.Timeout.IsNull() {
		// The validator has accepted it.
		timeout, _ = time.ParseDuration(model.Timeout.ValueString())
	}
	return model.withResult(prober.Send(ctx, model.URL.ValueString(), model.Secret.ValueString(), timeout))
}

func (m webhookProbeModel) withResult(r probe.Result) webhookProbeModel {
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

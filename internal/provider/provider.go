package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

const (
	envAPIKey  = "GLOSSI_API_KEY"
	envBaseURL = "GLOSSI_BASE_URL"
)

var (
	_ provider.Provider                  = (*glossiProvider)(nil)
	_ provider.ProviderWithFunctions     = (*glossiProvider)(nil)
	_ provider.ProviderWithListResources = (*glossiProvider)(nil)
	_ provider.ProviderWithActions       = (*glossiProvider)(nil)

	_ provider.ProviderWithEphemeralResources = (*glossiProvider)(nil)
)

type glossiProvider struct {
	version string
}

type glossiProviderModel struct {
	APIKey            types.String `tfsdk:"api_key"`
	APIKeys           types.Map    `tfsdk:"api_keys"`
	BaseURL           types.String `tfsdk:"base_url"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	AllowInsecureHTTP types.Bool   `tfsdk:"allow_insecure_http"`
}

// New returns a constructor of the provider at the given version, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &glossiProvider{version: version}
	}
}

func (p *glossiProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "glossi"
	resp.Version = p.version
}

func (p *glossiProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Glossi provider manages the webhook of a [Glossi](https://glossi.io) account: " +
			"the URL Glossi POSTs signed event notifications to, the events it sends, and the signing secret.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Glossi API key, sent as `X-API-Key`. Defaults to the `" + envAPIKey + "` environment variable; an empty string counts as not set.",
				Optional:            true,
				Sensitive:           true,
			},
			"api_keys": schema.MapAttribute{
				MarkdownDescription: "More Glossi accounts, as a map of account name to API key. A `glossi_webhook` " +
					"(resource, data source or list) with `account = \"<name>\"` uses that account's key; without " +
					"`account` it uses `api_key`. One provider block serves all of them in one plugin process, which " +
					"plans many accounts several times faster than one aliased provider block per account. The names " +
					"show in plans and messages, the keys never: pass them from a sensitive variable (for example " +
					"`TF_VAR_glossi_api_keys='{\"staging\":\"...\"}'`), declared `ephemeral = true` (Terraform 1.10+, " +
					"OpenTofu 1.11+) to keep them out of saved plan files.",
				ElementType: types.StringType,
				Optional:    true,
				Sensitive:   true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Glossi API. Defaults to the `" + envBaseURL +
					"` environment variable, then to `" + glossi.DefaultBaseURL + "`. Must be an absolute http(s) URL.",
				Optional:   true,
				Validators: []validator.String{urlValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate limit (429), "+
					"a server error (5xx) or a connection error. Defaults to `%d`.", glossi.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of each HTTP request, as a Go duration string such as `\"30s\"` or `\"1m\"`. " +
					"Defaults to `\"" + glossi.DefaultRequestTimeout.String() + "\"`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow a plain `http://` `base_url` to a host other than this machine. The API key then " +
					"travels in clear text, and every plan and apply warns about it. Without it such a `base_url` is an " +
					"error; `http://` to `localhost`, `127.0.0.1` or `::1` (a local sandbox) is always allowed. Defaults to `false`.",
				Optional: true,
			},
		},
	}
}

func (p *glossiProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config glossiProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addUnknownConfigErrors(&resp.Diagnostics, config)
	if resp.Diagnostics.HasError() {
		return
	}

	shared, invalid, err := p.sharedClientConfig(config, req.TerraformVersion)
	if err != nil {
		resp.Diagnostics.AddAttributeError(invalid, "Invalid Glossi Provider Configuration", err.Error())
		return
	}
	keys := accountKeys(ctx, stringOrEnv(config.APIKey, envAPIKey), config.APIKeys, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(keys) > 0 {
		checkBaseURL(&resp.Diagnostics, shared.BaseURL, config.AllowInsecureHTTP.ValueBool())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	accounts, err := newAccounts(shared, keys)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Glossi Provider Configuration",
			"The Glossi base URL is not usable: "+err.Error()+". Set base_url or "+envBaseURL+" to an absolute http(s) URL.")
		return
	}
	resp.ResourceData = accounts
	resp.DataSourceData = accounts
	resp.ListResourceData = accounts
}

// accountKeys maps each account name to its API key: api_keys' entries, and apiKey (api_key or
// GLOSSI_API_KEY) as the default account when set.
func accountKeys(ctx context.Context, apiKey string, apiKeys types.Map, diags *diag.Diagnostics) map[string]string {
	keys := map[string]string{}
	for name, key := range apiKeys.Elements() {
		if key.IsUnknown() {
			addUnknownConfigError(diags, path.Root("api_keys").AtMapKey(name), fmt.Sprintf("api_keys[%q]", name))
			return nil
		}
	}
	if !apiKeys.IsNull() {
		diags.Append(apiKeys.ElementsAs(ctx, &keys, false)...)
	}
	if apiKey != "" {
		keys[defaultAccount] = apiKey
	}
	return keys
}

// sharedClientConfig is the configuration every account's client shares: all of it but the API
// key, which is each account's own (newAccounts), or the attribute that is invalid.
func (p *glossiProvider) sharedClientConfig(config glossiProviderModel, terraformVersion string) (glossi.Config, path.Path, error) {
	cfg := glossi.Config{
		BaseURL:        stringOrEnv(config.BaseURL, envBaseURL),
		UserAgent:      fmt.Sprintf("Terraform/%s terraform-provider-glossi/%s", terraformVersion, p.version),
		MaxRetries:     glossi.DefaultMaxRetries,
		RequestTimeout: glossi.DefaultRequestTimeout,
	}
	if !config.MaxRetries.IsNull() {
		cfg.MaxRetries = int(config.MaxRetries.ValueInt64())
	}
	if !config.RequestTimeout.IsNull() {
		timeout, err := time.ParseDuration(config.RequestTimeout.ValueString())
		if err != nil || timeout <= 0 {
			return cfg, path.Root("request_timeout"), fmt.Errorf("request_timeout must be a positive duration such as \"30s\"")
		}
		cfg.RequestTimeout = timeout
	}
	return cfg, path.Empty(), nil
}

// addUnknownConfigErrors reports every attribute whose value is not known yet, as the
// framework expects: the provider cannot call the API before it knows where and with what key.
func addUnknownConfigErrors(diags *diag.Diagnostics, config glossiProviderModel) {
	attributes := []struct {
		name  string
		value attr.Value
	}{
		{"api_key", config.APIKey},
		{"api_keys", config.APIKeys},
		{"base_url", config.BaseURL},
		{"max_retries", config.MaxRetries},
		{"request_timeout", config.RequestTimeout},
		{"allow_insecure_http", config.AllowInsecureHTTP},
	}
	for _, a := range attributes {
		if a.value.IsUnknown() {
			addUnknownConfigError(diags, path.Root(a.name), a.name)
		}
	}
}

func addUnknownConfigError(diags *diag.Diagnostics, attribute path.Path, name string) {
	diags.AddAttributeError(attribute, "Unknown Glossi Provider Configuration Value",
		fmt.Sprintf("The provider cannot call the Glossi API because %s is not known until apply. "+
			"Set it to a value known at plan time, or apply the resources it depends on first with -target.", name))
}

// stringOrEnv is value, or the environment variable env when value is null or empty: an empty
// string, as a variable's default often is, means "not set here".
func stringOrEnv(value types.String, env string) string {
	if v := value.ValueString(); v != "" {
		return v
	}
	return strings.TrimSpace(os.Getenv(env))
}

func (p *glossiProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewWebhookResource}
}

func (p *glossiProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewWebhookDataSource, NewWebhookProbeDataSource}
}

func (p *glossiProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewWebhookListResource}
}

func (p *glossiProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewWebhookProbeEphemeralResource}
}

func (p *glossiProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewWebhookProbeAction}
}

func (p *glossiProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewSignFunction, NewVerifyFunction, NewFingerprintFunction}
}

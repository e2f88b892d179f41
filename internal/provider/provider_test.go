package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The provider binary, run by the CLI with GLOSSI_API_KEY and GLOSSI_BASE_URL in its
// environment, reads the webhook with the key from the environment, whichever way api_key is
// left out: a plan a way, each of whose reads must have reached the API with that key.
func TestProvider_apiKeyFromEnvironment(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true})
	ws := newCLIWorkspace(t, nil, envAPIKey+"="+testAPIKey, envBaseURL+"="+env.baseURL)
	for what, provider := range map[string]string{
		"unset":        `provider "glossi" {}`,
		"empty string": `provider "glossi" { api_key = "" }`,
	} {
		env.sandbox.ResetRequests()
		ws.writeConfig(t, provider+webhookDataSourceConfig)
		ws.run(t, "plan", "-no-color")
		got := env.sandbox.Requests()
		if len(got) == 0 {
			t.Errorf("api_key %s: the data source did not reach the API", what)
		}
		for _, r := range got {
			if !r.KeyValid {
				t.Errorf("api_key %s: the data source did not reach the API with the key from %s", what, envAPIKey)
			}
		}
	}
}

// No api_key and no GLOSSI_API_KEY: the plan fails naming both, before any request, for the
// resource and for the data source, while terraform validate needs no credentials.
func TestProvider_missingAPIKeyFailsAtPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + basicWebhook},
		envAPIKey+"=", envBaseURL+"="+env.baseURL)
	out := ws.run(t, "validate", "-no-color")
	expectOutput(t, out, "The configuration is valid")
	if out, err := ws.tryRun(t, "plan", "-no-color"); err == nil || !expectWords(`Missing Glossi API Key`, `api_key`, envAPIKey).MatchString(out) {
		t.Errorf("plan of the resource without a key: err = %v, want the missing-key error:\n%s", err, out)
	}
	ws.writeConfig(t, fmt.Sprintf("provider \"glossi\" {\n  base_url = %q\n}\n%s", env.baseURL, webhookDataSourceConfig))
	if out, err := ws.tryRun(t, "plan", "-no-color"); err == nil ||
		!expectWords(`Missing Glossi API Key`, `Set api_key in the provider block, or the GLOSSI_API_KEY environment variable.`).MatchString(out) {
		t.Errorf("plan of the data source without a key: err = %v, want the missing-key error:\n%s", err, out)
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("no request may be sent without a key; the API got %d", n)
	}
}

func TestProvider_unknownConfigValue(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, fmt.Sprintf(`
resource "terraform_data" "key" {
  input = "later"
}

provider "glossi" {
  api_key  = terraform_data.key.output
  base_url = %q
}

data "glossi_webhook" "test" {}
`, env.baseURL))
	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Errorf("a plan with api_key unknown succeeded:\n%s", out)
	}
	expectOutput(t, out, `Unknown Glossi Provider Configuration Value`, `api_key is not known until apply`)
}

// A key the API rejects fails the read with the 401, without retrying it and without the key in
// the message, whether the API's 401 says nothing of the key or echoes it. Through the CLI: a
// plan an answer, in one workspace, and a regexp cannot say what the error must not hold.
func TestProvider_invalidAPIKey(t *testing.T) {
	t.Parallel()
	const wrongKey = "wrong-key-5f0e2b9c41"
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, fmt.Sprintf("provider \"glossi\" {\n  api_key = %q\n  base_url = %q\n}\n%s", wrongKey, env.baseURL, webhookDataSourceConfig))
	for _, answer := range []struct {
		name  string
		fault *sandbox.Fault
	}{
		{"sandbox's own 401", nil},
		{"401 echoing the key", &sandbox.Fault{Method: "GET", Status: 401, Message: "API key " + wrongKey + " is not valid"}},
	} {
		env.sandbox.ResetRequests()
		if answer.fault != nil {
			env.sandbox.InjectFault(*answer.fault)
		}
		out, err := ws.tryRun(t, "plan", "-no-color")
		switch {
		case err == nil:
			t.Errorf("%s: want an error for an invalid API key", answer.name)
		case strings.Contains(out, wrongKey):
			t.Errorf("%s: the error message contains the API key", answer.name)
		case !expectWords(`rejected the API key`, `401 Unauthorized`).MatchString(out):
			t.Errorf("%s: want a message about the rejected key and the 401:\n%s", answer.name, out)
		}
		if got := env.sandbox.CountRequests("GET"); got != 1 {
			t.Errorf("%s: a 401 must not be retried; the API got %d GETs", answer.name, got)
		}
	}
}

// One create meets both retried answers: its existence check two 503s, its PUT a 429 with
// Retry-After. Every request it sends, retries included, names Terraform's version and the
// provider's (the in-process provider's version is "test").
func TestProvider_retriesServiceUnavailableAndRateLimit(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 503, Count: 2})
	env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Status: 429, Count: 1, RetryAfter: "1"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps:                    []resource.TestStep{{Config: env.config(basicWebhook)}},
	})
	if got := env.sandbox.CountRequests("GET"); got < 3 {
		t.Errorf("want the two 503s retried (at least 3 GETs), got %d", got)
	}
	var puts []time.Time
	for _, r := range env.sandbox.Requests() {
		if r.Method == "PUT" {
			puts = append(puts, r.Time)
		}
	}
	if len(puts) != 2 {
		t.Fatalf("want the 429 retried once (2 PUTs), got %d", len(puts))
	}
	if wait := puts[1].Sub(puts[0]); wait < 900*time.Millisecond {
		t.Errorf("the retry came %v after the 429; Retry-After asked for 1s", wait)
	}
	userAgent := regexp.MustCompile(`^Terraform/\d+\.\d+\.\d+\S* terraform-provider-glossi/test$`)
	for _, r := range env.sandbox.Requests() {
		if !userAgent.MatchString(r.UserAgent) {
			t.Errorf("User-Agent %q does not match %s", r.UserAgent, userAgent)
		}
	}
}

func TestProvider_persistentServerErrorFailsInBoundedTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 500, Message: "database unavailable"})
	ws := newSandboxWorkspace(t, env, env.config(webhookDataSourceConfig))
	start := time.Now()
	out, err := ws.tryRun(t, "plan", "-no-color")
	if elapsed := time.Since(start); elapsed > 60*time.Second {
		t.Errorf("a persistent 500 took %v to fail", elapsed)
	}
	if err == nil {
		t.Errorf("reading through a persistent 500 succeeded:\n%s", out)
	}
	expectOutput(t, out, `500 Internal Server Error: database unavailable (after 3 attempts)`)
	if got := env.sandbox.CountRequests("GET"); got != 3 {
		t.Errorf("max_retries = 2 means 3 attempts, got %d", got)
	}
}

func TestProvider_apiMessageShown(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Status: 422, Count: 1, Message: "url must resolve to a public address"})
	ws := newSandboxWorkspace(t, env, env.config(basicWebhook))
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Errorf("a create answered 422 succeeded:\n%s", out)
	}
	expectOutput(t, out, `Error Creating Glossi Webhook`, `422 Unprocessable Entity: url must resolve to a public address`)
	if got := env.sandbox.CountRequests("PUT"); got != 1 {
		t.Errorf("a 422 must not be retried; the API got %d PUTs", got)
	}
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("a create answered 422 left a webhook in the account")
	}
}

// configure runs the provider's Configure on config, as Terraform calls it.
func configure(t *testing.T, config glossiProviderModel) provider.ConfigureResponse {
	t.Helper()
	ctx := t.Context()
	p := &glossiProvider{version: "test"}
	var s provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &s)
	raw := tfsdk.State{Schema: s.Schema}
	if diags := raw.Set(ctx, config); diags.HasError() {
		t.Fatal(diags)
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: s.Schema, Raw: raw.Raw}}, &resp)
	return resp
}

// apiKeyOnly is a provider block that sets api_key and nothing else.
func apiKeyOnly() glossiProviderModel {
	return glossiProviderModel{APIKey: types.StringValue(testAPIKey), APIKeys: types.MapNull(types.StringType),
		BaseURL: types.StringNull(), MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
		AllowInsecureHTTP: types.BoolNull()}
}

// expectConfigureRefused fails the test unless Configure configured no account and reported one
// error, summary, whose detail holds each phrase.
func expectConfigureRefused(t *testing.T, resp provider.ConfigureResponse, summary string, phrases ...string) {
	t.Helper()
	if resp.ResourceData != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != summary {
		t.Fatalf("Configure gave %v (accounts configured: %t), want one error %q", resp.Diagnostics, resp.ResourceData != nil, summary)
	}
	for _, phrase := range phrases {
		if !strings.Contains(resp.Diagnostics[0].Detail(), phrase) {
			t.Errorf("the detail lacks %q: %s", phrase, resp.Diagnostics[0].Detail())
		}
	}
}

// base_url's validator never sees GLOSSI_BASE_URL: one that the client refuses fails Configure
// with the error that says the base URL is not usable and names the variable, and configures no
// account. Not parallel: it sets the environment.
func TestProvider_unusableBaseURLFromEnvironment(t *testing.T) {
	t.Setenv(envBaseURL, "ftp://glossi.example.com/api/v1")
	expectConfigureRefused(t, configure(t, apiKeyOnly()), "Invalid Glossi Provider Configuration",
		"The Glossi base URL is not usable", envBaseURL)
}

// A key of api_keys unknown at plan (the key of a resource created in the same apply) stops
// Configure with the unknown-value error on that key, naming it, and configures no account.
func TestProvider_unknownAPIKeysElement(t *testing.T) {
	t.Parallel()
	config := apiKeyOnly()
	config.APIKeys = types.MapValueMust(types.StringType, map[string]attr.Value{"staging": types.StringValue(stagingKey),
		"brand": types.StringUnknown()})
	resp := configure(t, config)
	expectConfigureRefused(t, resp, "Unknown Glossi Provider Configuration Value", `api_keys["brand"] is not known until apply`)
	if d, ok := resp.Diagnostics[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("api_keys").AtMapKey("brand")) {
		t.Error(`the error is not on api_keys["brand"]`)
	}
}

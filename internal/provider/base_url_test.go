package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Plain http to another machine would send the API key in clear text: refused at plan, before
// any request, unless allow_insecure_http opts in.
func TestProvider_insecureBaseURLRefused(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "glossi" {
  api_key  = %q
  base_url = "http://glossi.example.com/api/v1"
}
%s`, testAPIKey, basicWebhook),
			PlanOnly:    true,
			ExpectError: expectWords(`Insecure Glossi Base URL`, `"http://glossi.example.com/api/v1"`, `allow_insecure_http = true`),
		}},
	})
}

// With the opt-in, every plan warns; loopback http never needs it.
func TestProvider_insecureBaseURLOptInWarnsEveryPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, `
provider "glossi" {
  base_url            = "http://glossi.example.com/api/v1"
  allow_insecure_http = true
}
`+basicWebhook)
	for range 2 {
		out := ws.run(t, "plan", "-no-color")
		expectOutput(t, out, "Warning: Glossi API Key Sent Over Plain HTTP", `"http://glossi.example.com/api/v1" in clear text`)
		expectOutput(t, out, "1 to add")
		expectNoSecret(t, "the plan", out)
	}
	loopback := newSandboxWorkspace(t, env, basicWebhook) // env.baseURL is http://127.0.0.1:...
	if out := loopback.run(t, "plan", "-no-color"); strings.Contains(out, "Plain HTTP") || strings.Contains(out, "Unusual Glossi Base URL") {
		t.Errorf("a loopback http base_url must plan without a warning:\n%s", out)
	}
}

// A base_url without /api/v1 (the sandbox's root, pasted as is) warns at plan.
func TestProvider_baseURLPathWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	root := strings.TrimSuffix(env.baseURL, "/api/v1")
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + basicWebhook},
		envAPIKey+"="+testAPIKey, envBaseURL+"="+root)
	out := ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Unusual Glossi Base URL Path", `has the path "/"`, `"/api/v1"`)
}

// What checkBaseURL says of a base URL: nothing of the API's own (also when none is set, the
// production default), of https, or of http to this machine, by address or by name (localhost,
// *.localhost); an error for http to another machine, a warning with allow_insecure_http; the
// path warning for a path that is not the API's root; and nothing of a URL it cannot parse,
// which glossi.NewClient refuses with the full reason.
func TestCheckBaseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		baseURL       string
		allowInsecure bool
		want          wantDiag
	}{
		{"", false, wantNothing},
		{glossi.DefaultBaseURL, false, wantNothing},
		{"http://localhost:8080/api/v1", false, wantNothing},
		{"http://app.localhost/api/v1", false, wantNothing},
		{"http://127.0.0.1:8080/api/v1/", false, wantNothing},
		{"http://[::1]:8080/api/v1", false, wantNothing},
		{"http://glossi.example.com/api/v1", false, wantError},
		{"http://localhost.example.com/api/v1", false, wantError},
		{"http://glossi.example.com/api/v1", true, wantWarning},
		{"https://api.glossi.app/", false, wantWarning},
		{"http://%zz", false, wantNothing},
	} {
		var diags diag.Diagnostics
		checkBaseURL(&diags, tc.baseURL, tc.allowInsecure)
		t.Run(fmt.Sprintf("%q, insecure allowed %t", tc.baseURL, tc.allowInsecure), func(t *testing.T) { tc.want.check(t, diags) })
	}
}

//go:build terraformlatest

package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The glossi_webhook list resource through `terraform query` (Terraform 1.14+). Built with -tags
// terraformlatest: `make testacc-terraform-latest` runs them on Terraform CLI_TERRAFORM_LATEST.

// slowAccountsEnv is a sandbox with n accounts, named a001..., each with a webhook, that answers
// every GET delay late, as a distant API would; and a workspace whose one provider block has the
// keys of all of them, with a list block of every account.
func slowAccountsEnv(tb testing.TB, n int, delay time.Duration) *cliWorkspace {
	tb.Helper()
	keys := make([]string, n)
	var apiKeys strings.Builder
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-key-%03d", i+1)
		fmt.Fprintf(&apiKeys, "    a%03d = %q\n", i+1, keys[i])
	}
	env := newTestEnv(tb, sandbox.Options{APIKeys: keys})
	for i, key := range keys {
		env.sandbox.SetWebhook(key, sandboxWebhook(fmt.Sprintf("https://hooks.example.com/a%03d", i+1)))
	}
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Delay: delay})
	return newCLIWorkspace(tb, map[string]string{
		"main.tf": cliRequiredProviders + fmt.Sprintf("provider \"glossi\" {\n  base_url = %q\n  api_keys = {\n%s  }\n}\n",
			env.baseURL, apiKeys.String()),
		"all.tfquery.hcl": fmt.Sprintf("list \"glossi_webhook\" \"all\" {\n  provider = glossi\n  limit    = %d\n}\n", n),
	})
}

// `terraform query` over 200 accounts of one provider block, against an API that answers each
// request 50 ms late: the list fetches the accounts concurrently, so the query does not take 200
// round trips.
func BenchmarkWebhookListResource_query200SlowAccounts(b *testing.B) {
	ws := slowAccountsEnv(b, 200, 50*time.Millisecond)
	for b.Loop() {
		out := ws.run(b, "query", "-no-color")
		if n := strings.Count(out, "list.glossi_webhook.all "); n != 200 {
			b.Fatalf("terraform query listed %d webhooks, want 200:\n%s", n, out)
		}
	}
}

// `terraform query` over five accounts, one whose key the API refuses (401) and one whose API
// answers 500 to every attempt. The three others are listed; each failure is a warning of its
// own naming the account (and api_keys["bad"]); a list whose limit cuts the results says so; the
// display names hide the credentials of a URL; and the query exits 0. A list of the two failing
// accounts only has nothing to list: each failure is then an error, and the query exits 1.
func TestWebhookListResource_queryAccountFailures(t *testing.T) {
	t.Parallel()
	const badKey, downKey = "tfacc-key-bad-0c4e7f", "tfacc-key-down-93b1d2"
	sb := sandbox.New(sandbox.Options{APIKeys: []string{testAPIKey, stagingKey, brandKey, downKey}})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") == downKey {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error": "database unavailable"}`)
			return
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	const credentialURL = "https://hook-user:hunter2-9d1e@hooks.example.com/main?token=t0ken-8f2c"
	for key, url := range map[string]string{testAPIKey: credentialURL, stagingKey: "https://hooks.example.com/staging",
		brandKey: "https://hooks.example.com/brand"} {
		sb.SetWebhook(key, sandboxWebhook(url))
	}
	ws := newCLIWorkspace(t, map[string]string{
		"main.tf": cliRequiredProviders + fmt.Sprintf(`
provider "glossi" {
  api_key     = %q
  api_keys    = { staging = %q, brand = %q, bad = %q, down = %q }
  base_url    = %q
  max_retries = 1
}
`, testAPIKey, stagingKey, brandKey, badKey, downKey, server.URL+"/api/v1"),
		"webhooks.tfquery.hcl": `
list "glossi_webhook" "all" {
  provider = glossi
}

list "glossi_webhook" "first_two" {
  provider = glossi
  limit    = 2
}
`,
	})

	out, err := ws.tryRun(t, "query", "-no-color")
	if err != nil {
		t.Errorf("terraform query failed (%v) although three accounts were listed:\n%s", err, out)
	}
	if all, two := strings.Count(out, "list.glossi_webhook.all "), strings.Count(out, "list.glossi_webhook.first_two "); all != 3 || two != 2 {
		t.Errorf("listed %d webhooks in all (want 3) and %d in first_two (want 2):\n%s", all, two, out)
	}
	expectOutput(t, out, `Warning: Glossi Account "bad" Not Listed`, `The account "bad" is not listed`,
		`api_keys["bad"] holds a valid`, "401 Unauthorized")
	expectOutput(t, out, `Warning: Glossi Account "down" Not Listed`, `The account "down" is not listed`,
		"500 Internal Server Error: database unavailable (after 2 attempts)")
	expectOutput(t, out, "Warning: Glossi Webhooks Not All Listed", "found 3 webhooks", "Set limit = 3")
	expectOutput(t, out, "webhook of the api_key account to https://REDACTED@hooks.example.com/main?REDACTED")
	expectNoSecret(t, "terraform query's output", out, "hunter2-9d1e", "t0ken-8f2c", badKey, downKey)

	writeFile(t, filepath.Join(ws.dir, "webhooks.tfquery.hcl"), `
list "glossi_webhook" "failing" {
  provider = glossi
  config {
    accounts = ["bad", "down"]
  }
}
`)
	out, err = ws.tryRun(t, "query", "-no-color")
	if err == nil {
		t.Errorf("terraform query succeeded although no account could be listed:\n%s", out)
	}
	expectOutput(t, out, `Error: Glossi Account "bad" Not Listed`, `The account "bad" is not listed`)
	expectOutput(t, out, `Error: Glossi Account "down" Not Listed`, `The account "down" is not listed`)
}

// `terraform query` lists one result per account that has a webhook (the brand account has
// none), with its identity, a display name naming the account and URL, and with
// include_resource the resource's values; config { accounts } narrows it.
func TestWebhookListResource_query(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	env.sandbox.SetWebhook(testAPIKey, sandboxWebhook("https://hooks.example.com/main"))
	env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
	staging := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"account": knownvalue.StringExact("staging"),
		"id":      knownvalue.StringExact(env.storedWebhookOf(t, stagingKey).ID),
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.accountsProviderBlock()},
			{
				Query: true,
				Config: `
list "glossi_webhook" "all" {
  provider         = glossi
  include_resource = true
}

list "glossi_webhook" "staging" {
  provider = glossi
  config {
    accounts = ["staging"]
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("glossi_webhook.all", 2),
					querycheck.ExpectIdentity("glossi_webhook.all", map[string]knownvalue.Check{
						"account": knownvalue.Null(),
						"id":      knownvalue.StringExact(env.storedWebhookOf(t, testAPIKey).ID),
					}),
					querycheck.ExpectResourceDisplayName("glossi_webhook.all", staging,
						knownvalue.StringExact(`webhook of account "staging" to https://hooks.example.com/staging`)),
					querycheck.ExpectResourceKnownValues("glossi_webhook.all", staging, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("url"), KnownValue: knownvalue.StringExact("https://hooks.example.com/staging")},
						{Path: tfjsonpath.New("account"), KnownValue: knownvalue.StringExact("staging")},
					}),
					querycheck.ExpectLength("glossi_webhook.staging", 1),
				},
			},
		},
	})
}

// The CLI flow: `terraform query -generate-config-out` writes resource and import blocks with
// account set, and their plan imports every webhook and changes nothing.
func TestWebhookListResource_queryGenerateConfig(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	env.sandbox.SetWebhook(testAPIKey, sandboxWebhook("https://hooks.example.com/main"))
	env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
	env.sandbox.SetWebhook(brandKey, sandboxWebhook("https://hooks.example.com/brand"))
	ws := newCLIWorkspace(t, map[string]string{
		"main.tf":              cliRequiredProviders + env.accountsProviderBlock(),
		"webhooks.tfquery.hcl": readExample(t, "list-resources/glossi_webhook/list.tfquery.hcl"),
	})

	out := ws.run(t, "query", "-no-color", "-generate-config-out=generated.tf")
	for _, want := range []string{`webhook of account "staging" to https://hooks.example.com/staging`, "https://hooks.example.com/main"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query does not show %q:\n%s", want, out)
		}
	}
	generated, err := os.ReadFile(filepath.Join(ws.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(generated), "import {"); n != 3 || !strings.Contains(string(generated), `account = "brand"`) {
		t.Errorf("want 3 import blocks and account = \"brand\" in the generated configuration:\n%s", generated)
	}
	if err := os.Remove(filepath.Join(ws.dir, "webhooks.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	out = ws.run(t, "plan", "-no-color")
	if want := "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Errorf("the plan of the generated configuration does not say %q:\n%s\ngenerated:\n%s", want, out, generated)
	}
}

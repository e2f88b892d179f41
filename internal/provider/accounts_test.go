package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// One plan of the accounts' mistakes. An account that api_keys does not name fails the plan of
// the resource and of the data source, before any request, with the configured names and none of
// the keys. The advice about a key blames the account's own setting: a 401 for the data source of
// "staging" names api_keys["staging"], and the whitespace key of "brand" fails the resource's
// plan, before any request for it, naming api_keys["brand"]. Neither names api_key.
func TestWebhookResource_accountMistakesFailThePlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{APIKeys: []string{testAPIKey}}) // the staging key is refused
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + fmt.Sprintf(`
provider "glossi" {
  api_keys = { staging = %q, brand = "  " }
  base_url = %q
}

data "glossi_webhook" "staging" {
  account = "staging"
}

data "glossi_webhook" "qa" {
  account = "qa"
}
`, stagingKey, env.baseURL) + accountWebhook("brand", "brand") + accountWebhook("prod", "prod")})

	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan succeeded with unknown accounts, a refused and a blank key:\n%s", out)
	}
	for _, account := range []string{"prod", "qa"} {
		want := expectWords("Unknown Glossi Account", fmt.Sprintf("The account %q is not configured", account),
			`api_keys names "brand", "staging".`)
		if !want.MatchString(out) {
			t.Errorf("the plan does not report account %q with the configured names:\n%s", account, out)
		}
	}
	expectOutput(t, out, "Error: Error Reading Glossi Webhook", `rejected the API key of the account "staging"`,
		`Check that api_keys["staging"] holds a valid`, "401 Unauthorized")
	expectOutput(t, out, "Error: Empty Glossi API Key", `api_keys["brand"], the API key of the account "brand", is only whitespace`)
	expectNoOutput(t, out, "api_key (or", "GLOSSI_API_KEY")
	expectNoSecret(t, "the plan's output", out)
	// The unknown accounts and the blank key fail before any request: the one request is the
	// data source's of "staging".
	if n, gets := len(env.sandbox.Requests()), env.sandbox.CountRequests("GET"); n != 1 || gets != 1 {
		t.Errorf("want one request, the data source's GET; the API got %d (%d GETs)", n, gets)
	}
}

// Without api_key, a webhook without account has no key: the plan says so, while the accounts of
// api_keys work.
func TestWebhookResource_accountsWithoutDefaultKey(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	provider := fmt.Sprintf("provider \"glossi\" {\n  api_keys = { staging = %q }\n  base_url = %q\n}\n", stagingKey, env.baseURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider + accountWebhook("main", ""),
				PlanOnly:    true,
				ExpectError: expectWords("Missing Glossi API Key", `Set account to one of the names of api_keys ("staging")`),
			},
			{
				Config:            provider + accountWebhook("staging", "staging"),
				ConfigStateChecks: []statecheck.StateCheck{env.sandboxURL(stagingKey, "https://hooks.example.com/staging")},
			},
		},
	})
}

func testAccounts(t *testing.T, keys map[string]string) *accounts {
	t.Helper()
	a, err := newAccounts(glossi.Config{BaseURL: "https://api.example.com/api/v1"}, keys)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Which accounts the list resource lists, and the errors of the names it cannot.
func TestAccounts_selected(t *testing.T) {
	t.Parallel()
	withDefault := testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey, "brand": brandKey})
	withoutDefault := testAccounts(t, map[string]string{"staging": stagingKey})
	for _, tc := range []struct {
		name    string
		a       *accounts
		asked   []string
		want    []string
		wantErr string
	}{
		{"all, the default first", withDefault, nil, []string{"", "brand", "staging"}, ""},
		{"all, no default", withoutDefault, nil, []string{"staging"}, ""},
		{"asked, in order", withDefault, []string{"staging", ""}, []string{"staging", ""}, ""},
		{"unknown", withDefault, []string{"prod"}, nil, `accounts names "prod", which is not configured. The provider block's api_keys names "brand", "staging". List only configured accounts`},
		{"misspelt", withDefault, []string{"Stagign"}, nil, `api_keys names "brand", "staging". Did you mean "staging"?`},
		{"default without api_key", withoutDefault, []string{""}, nil, `accounts names "", the provider's default account, and neither api_key nor the GLOSSI_API_KEY environment variable is set. List the names of api_keys ("staging")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got := tc.a.selected(tc.asked, path.Root("accounts"), &diags)
			if tc.wantErr == "" {
				if diags.HasError() || !slices.Equal(got, tc.want) {
					t.Errorf("selected(%q) = %q, %v; want %q", tc.asked, got, diags, tc.want)
				}
				return
			}
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), tc.wantErr) {
				t.Errorf("selected(%q): diagnostics %v, want an error with %q", tc.asked, diags, tc.wantErr)
			}
			expectNoSecret(t, "the error", fmt.Sprint(diags))
		})
	}
}

// Why accounts.client refuses an account, worded for where its name came from, with the nearest
// configured name when one is a typo away.
func TestAccounts_clientRefusals(t *testing.T) {
	t.Parallel()
	withDefault := testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey, "blank": " \t"})
	withoutDefault := testAccounts(t, map[string]string{"staging": stagingKey})
	blankDefault := testAccounts(t, map[string]string{"": "  ", "staging": stagingKey})
	for _, tc := range []struct {
		name    string
		a       *accounts
		account string
		origin  accountOrigin
		summary string
		says    []string
	}{
		{"typo in a block", withDefault, "stagng", accountInConfig, "Unknown Glossi Account", []string{
			`The account "stagng" is not configured.`, `Did you mean "staging"?`, `add "stagng" to api_keys`}},
		{"gone from api_keys", withDefault, "brand", accountInState, "Unknown Glossi Account", []string{
			`The webhook in the state belongs to the account "brand"`, "put it back in api_keys", "removed block"}},
		{"import", withDefault, "Staging2", accountInImport, "Unknown Glossi Account", []string{
			`The import names the account "Staging2"`, `Did you mean "staging"?`, `"<account>/<id>"`}},
		{"import without an account", withoutDefault, "", accountInImport, "Missing Glossi API Key", []string{
			"The import names no account", `Prefix the import id with one of the names of api_keys ("staging")`}},
		{"blank key", withDefault, "blank", accountInConfig, "Empty Glossi API Key", []string{
			`api_keys["blank"], the API key of the account "blank", is only whitespace`}},
		{"blank api_key", blankDefault, "", accountInConfig, "Empty Glossi API Key", []string{
			"api_key, the API key of the provider's default account, is only whitespace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			if client := tc.a.client(tc.account, tc.origin, path.Root("account"), &diags); client != nil || !diags.HasError() {
				t.Fatalf("client(%q): a client %t, %v; want an error", tc.account, client != nil, diags)
			}
			got := diags.Errors()[0]
			if got.Summary() != tc.summary {
				t.Errorf("summary %q, want %q", got.Summary(), tc.summary)
			}
			for _, want := range tc.says {
				if !strings.Contains(got.Detail(), want) {
					t.Errorf("the detail lacks %q:\n%s", want, got.Detail())
				}
			}
			expectNoSecret(t, "the detail", got.Detail())
		})
	}
}

// Every account's client masks every configured key, in its errors and in its log lines: an API
// that quotes another account's key in its answer does not make that key show.
func TestAccounts_everyKeyMaskedEverywhere(t *testing.T) {
	t.Parallel()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error": "keys %s and %s are not this account's"}`, stagingKey, brandKey)
	}))
	t.Cleanup(echo.Close)
	a, err := newAccounts(glossi.Config{BaseURL: echo.URL + "/api/v1"}, map[string]string{"staging": stagingKey, "brand": brandKey})
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	ctx := a.masked(tflogtest.RootLogger(t.Context(), &logged))
	_, err = a.clients["staging"].Get(ctx)
	if err == nil {
		t.Fatal("the echoing server's 400 was not an error")
	}
	tflog.Debug(ctx, "a line of the provider's own", map[string]any{"quoted": "the key " + brandKey})
	if !strings.Contains(logged.String(), "Received Glossi API response") || !strings.Contains(logged.String(), "the provider's own") {
		t.Fatalf("the log lacks the client's and the provider's lines; the test would prove nothing:\n%s", logged.String())
	}
	for name, text := range map[string]string{"the error": err.Error(), "the log": logged.String()} {
		expectNoSecret(t, name, text)
	}
}

// Provider data of another type than the configured accounts is a bug of the provider, and says
// so, naming the type; none at all (before the provider is configured) is no error.
func TestAccountsFromProviderData_otherTypeIsABug(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	if a := accountsFromProviderData(nil, &diags); a != nil || diags.HasError() {
		t.Errorf("no provider data: %v, %v; want none and no error", a, diags)
	}
	if a := accountsFromProviderData("x", &diags); a != nil || len(diags) != 1 ||
		diags[0].Summary() != "Unexpected Glossi Provider Data" ||
		!strings.Contains(diags[0].Detail(), "got string. This is a bug in the provider") {
		t.Errorf("provider data of type string: %v, %v; want the error naming the type", a, diags)
	}
}

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// An import block whose id names another account than the resource's account would plan "import,
// then replace", and the apply would delete the webhook it imported: the plan fails naming both
// accounts, before any write.
func TestWebhookResource_importIntoAnotherAccountRefused(t *testing.T) {
	t.Parallel()
	out := planImportFromBrandIntoStaging(t, func(brandID string) string {
		return fmt.Sprintf("import {\n  to = glossi_webhook.staging\n  id = \"brand/%s\"\n}\n", brandID)
	})
	expectOutput(t, out, `import id "staging/<id>"`, `account = "brand"`)
	expectNoOutput(t, out, "must be replaced")
}

// planImportFromBrandIntoStaging plans the import block that importBlock makes of the id of the
// brand account's webhook, into glossi_webhook.staging of the account "staging". It checks that
// the plan fails naming both accounts without writing to the API, and returns its output.
func planImportFromBrandIntoStaging(t *testing.T, importBlock func(brandID string) string) string {
	t.Helper()
	env := newAccountsEnv(t)
	brand := env.sandbox.SetWebhook(brandKey, sandboxWebhook("https://hooks.example.com/staging"))
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() +
		accountWebhook("staging", "staging") + importBlock(brand.ID)})

	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan of an import into another account succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Glossi Webhook Imported From Another Account", brand.ID, `the account "brand"`,
		`this resource's account is the account "staging"`)
	if n := env.sandbox.CountRequests("PUT") + env.sandbox.CountRequests("DELETE"); n != 0 {
		t.Errorf("the refused plan wrote to the API %d times", n)
	}
	return out
}

// One provider block manages the webhooks of three accounts; the data source reads one by name;
// `<account>/<id>` imports; moving a webhook to another account replaces it.
func TestWebhookResource_accounts(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	config := env.accountsProviderBlock() + accountWebhook("main", "") + accountWebhook("staging", "staging") + `
data "glossi_webhook" "staging" {
  account    = "staging"
  depends_on = [glossi_webhook.staging]
}
`
	moved := strings.ReplaceAll(config, `account    = "staging"`, `account    = "brand"`)
	moved = strings.Replace(moved, `account = "staging"`, `account = "brand"`, 1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkAccountsDestroyed,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("glossi_webhook.main", tfjsonpath.New("account"), knownvalue.Null()),
					statecheck.ExpectKnownValue("glossi_webhook.staging", tfjsonpath.New("account"), knownvalue.StringExact("staging")),
					statecheck.ExpectKnownValue("data.glossi_webhook.staging", tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/staging")),
					env.sandboxURL(testAPIKey, "https://hooks.example.com/main"),
					env.sandboxURL(stagingKey, "https://hooks.example.com/staging"),
				},
			},
			{
				Config:            config,
				ResourceName:      "glossi_webhook.staging",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "staging/" + env.storedWebhookOf(t, stagingKey).ID, nil },
				ImportStateVerify: true,
				// The API never returns the secret on GET, so an import has none.
				ImportStateVerifyIgnore: secretAttributes,
			},
			planOnlyStep(config),
			{
				Config: moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("glossi_webhook.staging", plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction("glossi_webhook.main", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("glossi_webhook.staging", tfjsonpath.New("account"), knownvalue.StringExact("brand")),
					env.sandboxURL(brandKey, "https://hooks.example.com/staging"),
					stateCheckFunc(func() error {
						if _, ok := env.sandbox.Webhook(stagingKey); ok {
							return fmt.Errorf("the staging account kept its webhook after the resource moved to brand")
						}
						return nil
					}),
				},
			},
		},
	})
}

// An account unknown at plan (from a resource of the same apply) has no client yet, and is no
// error: the plan goes on, and the apply's plan knows the account. A named account that is not
// configured fails the plan. In process.
func TestWebhookResource_unknownAccountPlansWithoutAClient(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	plan := c.state(t, true)
	for _, tc := range []struct {
		account types.String
		ok      bool
		errors  int
	}{
		{types.StringUnknown(), true, 0},
		{types.StringValue("staging"), false, 1},
	} {
		plan.Account = tc.account
		req := fwresource.ModifyPlanRequest{Plan: tfsdk.Plan{Schema: c.schema, Raw: c.tfState(t, plan).Raw}}
		var diags diag.Diagnostics
		client, ok := plannedAccountClient(t.Context(), c.r.accounts, req, &diags)
		if client != nil || ok != tc.ok || diags.ErrorsCount() != tc.errors {
			t.Errorf("account %s: a client %t, ok %t, %v; want no client, ok %t and %d errors", tc.account, client != nil, ok, diags,
				tc.ok, tc.errors)
		}
	}
}

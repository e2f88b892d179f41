package provider

import (
	"fmt"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
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
	brand := env.sandbox.SetWebhook(brandKey, sandbox.Webhook{URL: "https://hooks.example.com/staging",
		Events: []string{"render.complete"}, Enabled: true})
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

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
	env := newAccountsEnv(t)
	brand := env.sandbox.SetWebhook(brandKey, sandbox.Webhook{URL: "https://hooks.example.com/staging",
		Events: []string{"render.complete"}, Enabled: true})
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() +
		accountWebhook("staging", "staging") + fmt.Sprintf(`
import {
  to = glossi_webhook.staging
  id = "brand/%s"
}
`, brand.ID)})

	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan of an import into another account succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Glossi Webhook Imported From Another Account", brand.ID, `the account "brand"`,
		`this resource's account is the account "staging"`, `import id "staging/<id>"`, `account = "brand"`)
	expectNoOutput(t, out, "must be replaced")
	if n := env.sandbox.CountRequests("PUT") + env.sandbox.CountRequests("DELETE"); n != 0 {
		t.Errorf("the refused plan wrote to the API %d times", n)
	}
}

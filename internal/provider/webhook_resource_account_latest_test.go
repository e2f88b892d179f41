//go:build terraformlatest

package provider

import (
	"fmt"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The identity form of TestWebhookResource_importIntoAnotherAccountRefused (Terraform 1.12+): an
// identity naming the account "brand" imported into a resource of the account "staging" fails
// the plan, naming both, before any write.
func TestLatestCLI_importIdentityIntoAnotherAccountRefused(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	brand := env.sandbox.SetWebhook(brandKey, sandbox.Webhook{URL: "https://hooks.example.com/staging",
		Events: []string{"render.complete"}, Enabled: true})
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() +
		accountWebhook("staging", "staging") + fmt.Sprintf(`
import {
  to       = glossi_webhook.staging
  identity = { account = "brand", id = %q }
}
`, brand.ID)})

	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("the plan of an import by identity into another account succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Glossi Webhook Imported From Another Account", `the account "brand"`,
		`this resource's account is the account "staging"`, `an identity whose account is "staging"`)
	if n := env.sandbox.CountRequests("PUT") + env.sandbox.CountRequests("DELETE"); n != 0 {
		t.Errorf("the refused plan wrote to the API %d times", n)
	}
}

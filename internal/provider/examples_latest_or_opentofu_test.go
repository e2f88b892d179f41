//go:build terraformlatest || opentofu

package provider

import (
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Import by identity needs Terraform 1.12+ or OpenTofu 1.12+: `make testacc-terraform-latest` and
// `make testacc-opentofu` run the examples that use it.

// The guide's import block by identity, through the CLI: the plan imports the staging account's
// webhook and changes nothing, and the apply keeps it.
func TestExamples_importByIdentity(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	existing := env.sandbox.SetWebhook(stagingKey, sandbox.Webhook{
		URL: "https://hooks.example.com/staging", Events: []string{"render.complete", "render.failed"}, Enabled: true,
	})
	example := strings.ReplaceAll(readExample(t, "guides/many-accounts/import.tf"), exampleImportID, existing.ID)
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() + example})

	out := ws.run(t, "plan", "-no-color")
	if want := "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Errorf("the plan of many-accounts/import.tf does not say %q:\n%s", want, out)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if after := env.storedWebhookOf(t, stagingKey); after.ID != existing.ID || after.Secret != existing.Secret {
		t.Error("importing by identity changed the webhook")
	}
	ws.expectNoChanges(t, "many-accounts/import.tf")
}

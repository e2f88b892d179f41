package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The user flow of -generate-config-out, through the real binaries: Terraform writes the
// resource block from the API, the import applies, and the next plan is empty.
func TestProvider_generateConfigOutPlansEmpty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{EmptyDescriptionAsNull: true})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"render.complete", "model.processed"}, Enabled: false,
	})
	importBlock := fmt.Sprintf(`
terraform {
  required_providers {
    glossi = { source = "glossi/glossi" }
  }
}

import {
  to = glossi_webhook.main
  id = %q
}
`, existing.ID)
	ws := newCLIWorkspace(t, map[string]string{"main.tf": importBlock},
		"GLOSSI_API_KEY="+testAPIKey, "GLOSSI_BASE_URL="+env.baseURL)

	ws.run(t, "plan", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(ws.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`url`, `"https://hooks.example.com/glossi"`, `"model.processed"`, `enabled`} {
		if !strings.Contains(string(generated), want) {
			t.Errorf("generated config lacks %s:\n%s", want, generated)
		}
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if out, err := ws.tryRun(t, "plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Errorf("the plan after importing with generated config is not empty (%v):\n%s", err, out)
	}
	if after := env.storedWebhook(t); after.ID != existing.ID || after.Secret != existing.Secret {
		t.Error("importing changed the webhook")
	}
}

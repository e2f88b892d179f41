//go:build opentofu

package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The OpenTofu-only examples as written (provider for_each, state encryption). Built only with
// -tags opentofu, which `make testacc-opentofu` sets along with TF_ACC_TERRAFORM_PATH pointing at
// tofu.

// The provider for_each example gives each account its own webhook, each created with its own
// API key.
func TestExamples_openTofuProviderForEach(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{APIKeys: []string{testAPIKey, otherAccountKey}})
	ws := newCLIWorkspace(t, map[string]string{
		"main.tf": readExample(t, "guides/opentofu/provider-for-each.tf"),
		"terraform.tfvars": `receiver_urls = {
  production = "https://hooks.example.com/production"
  staging    = "https://hooks.example.com/staging"
}
api_keys = {
  production = "` + testAPIKey + `"
  staging    = "` + otherAccountKey + `"
}
`,
	}, "GLOSSI_BASE_URL="+env.baseURL)

	ws.run(t, "apply", "-auto-approve", "-no-color")
	for key, url := range map[string]string{testAPIKey: "https://hooks.example.com/production", otherAccountKey: "https://hooks.example.com/staging"} {
		w, ok := env.sandbox.Webhook(key)
		if !ok || w.URL != url {
			t.Errorf("%s: webhook %+v, want one at %s", accountOfKey(key), w.URL, url)
		}
	}
	ws.expectNoChanges(t, "applying provider-for-each.tf")
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	for _, key := range []string{testAPIKey, otherAccountKey} {
		if _, ok := env.sandbox.Webhook(key); ok {
			t.Errorf("destroy left the webhook of %s", accountOfKey(key))
		}
	}
}

// With the state encryption example, the secret is nowhere in the state file, and OpenTofu still
// reads it back with the passphrase.
func TestExamples_openTofuStateEncryptionHidesSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newExampleWorkspace(t, env, readExample(t, "guides/opentofu/state-encryption.tf"))
	ws.env = append(ws.env, "TF_VAR_state_passphrase=correct-horse-battery-staple")

	ws.run(t, "apply", "-auto-approve", "-no-color")
	secret := env.storedWebhook(t).Secret
	state, err := os.ReadFile(filepath.Join(ws.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	expectNoSecret(t, "the state file", string(state), secret)
	if !strings.Contains(string(state), `"encrypted_data"`) {
		t.Error("the state file is not encrypted")
	}
	ws.expectNoChanges(t, "applying state-encryption.tf")
}

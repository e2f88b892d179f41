package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const traceConfig = `
terraform {
  required_providers {
    glossi = { source = "glossi/glossi" }
  }
}

variable "glossi_api_key" {
  type      = string
  sensitive = true
}

variable "base_url" { type = string }

variable "rotation" { type = string }

provider "glossi" {
  api_key  = var.glossi_api_key
  base_url = var.base_url
}

resource "glossi_webhook" "test" {
  url                    = "https://hooks.example.com/glossi"
  events                 = ["model.processed"]
  rotate_secret_triggers = { rotation = var.rotation }
}

output "secret" {
  value     = glossi_webhook.test.secret
  sensitive = true
}
`

// A TF_LOG=TRACE run of the real binaries must not write the API key or any secret anywhere:
// not in the log, not on the terminal.
func TestProvider_traceLogHasNoSecrets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	ws := newCLIWorkspace(t, map[string]string{"main.tf": traceConfig},
		"TF_LOG=TRACE", "TF_LOG_PATH="+logPath,
		"TF_VAR_glossi_api_key="+testAPIKey, "TF_VAR_base_url="+env.baseURL)

	var printed strings.Builder
	var secrets []string
	for _, rotation := range []string{"1", "2"} {
		printed.WriteString(ws.run(t, "apply", "-auto-approve", "-no-color", "-var", "rotation="+rotation))
		secrets = append(secrets, env.storedWebhook(t).Secret)
	}
	printed.WriteString(ws.run(t, "plan", "-no-color", "-var", "rotation=2"))
	printed.WriteString(ws.run(t, "destroy", "-auto-approve", "-no-color", "-var", "rotation=2"))

	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)
	if !strings.Contains(log, "provider.terraform-provider-glossi") || !strings.Contains(log, "/webhooks") {
		t.Fatal("the trace log has no entries from the provider's API client; the test would prove nothing")
	}
	if secrets[0] == secrets[1] {
		t.Fatal("the rotating sandbox issued the same secret twice; the test would check one secret only")
	}
	for name, text := range map[string]string{"the TRACE log": log, "terraform's output": printed.String()} {
		if strings.Contains(text, testAPIKey) {
			t.Errorf("%s contains the API key", name)
		}
		for i, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains webhook secret #%d", name, i+1)
			}
		}
	}
}

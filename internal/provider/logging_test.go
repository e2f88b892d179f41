package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// traceConfig has the API key in a sensitive variable, a rotation a variable triggers, and the
// secret in a sensitive output: every value a trace log could leak.
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
		expectNoSecret(t, name, text, secrets...)
	}
}

// A TF_LOG=TRACE apply and destroy of webhooks in two accounts of api_keys writes neither key.
func TestProvider_traceLogHasNoAccountKeys(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	config := cliRequiredProviders + `
variable "glossi_api_keys" {
  type      = map(string)
  sensitive = true
}

provider "glossi" {
  api_keys = var.glossi_api_keys
}
` + accountWebhook("staging", "staging") + accountWebhook("brand", "brand")
	ws := newCLIWorkspace(t, map[string]string{"main.tf": config},
		"TF_LOG=TRACE", "TF_LOG_PATH="+logPath, envBaseURL+"="+env.baseURL, envAPIKey+"=",
		fmt.Sprintf(`TF_VAR_glossi_api_keys={"staging":%q,"brand":%q}`, stagingKey, brandKey))

	printed := ws.run(t, "apply", "-auto-approve", "-no-color") + ws.run(t, "destroy", "-auto-approve", "-no-color")
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)
	if strings.Count(log, "/webhooks") < 4 {
		t.Fatal("the trace log has too few entries from the provider's API client; the test would prove nothing")
	}
	for name, text := range map[string]string{"the TRACE log": log, "terraform's output": printed} {
		expectNoSecret(t, name, text)
	}
}

// A TF_LOG=TRACE run of the probe in a check block and of the sign function writes neither the
// webhook secret nor a signature made with it, in the log or on the terminal.
func TestProvider_traceLogHasNoProbeSecrets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	config := readExample(t, "data-sources/glossi_webhook_probe/check.tf") + `
output "signature" {
  value     = provider::glossi::sign("{}", glossi_webhook.main.secret)
  sensitive = true
}
`
	ws := newExampleWorkspace(t, env, config)
	ws.env = append(ws.env, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	url := verifyingReceiver(t, func() string { return env.storedWebhook(t).Secret }).URL

	printed := ws.run(t, "apply", "-auto-approve", "-no-color", "-var", "receiver_url="+url)
	printed += ws.run(t, "plan", "-no-color", "-var", "receiver_url="+url)
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)
	if !strings.Contains(log, "glossi_webhook_probe") {
		t.Fatal("the trace log does not mention the probe; the test would prove nothing")
	}
	secret := env.storedWebhook(t).Secret
	signature := hmacHex("{}", secret)
	for name, text := range map[string]string{"the TRACE log": log, "terraform's output": printed} {
		expectNoSecret(t, name, text, secret)
		if strings.Contains(text, signature) {
			t.Errorf("%s contains a signature made with the webhook secret", name)
		}
	}
}

// Credentials in the webhook URL stay out of the provider's DEBUG log, and a webhook secret that
// the API quotes in an error message is masked in the error and the log.
func TestProvider_urlCredentialsAndQuotedSecretMasked(t *testing.T) {
	t.Parallel()
	const password, token = "hunter2-9c1d77", "tok-4b7e0a55aa"
	env := newTestEnv(t, sandbox.Options{})
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	config := func(events string) string {
		return `
resource "glossi_webhook" "test" {
  url    = "https://deploy:` + password + `@hooks.example.com/g?token=` + token + `"
  events = [` + events + `]
}
`
	}
	ws := newSandboxWorkspace(t, env, config(`"model.processed"`))
	ws.env = append(ws.env, "TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logPath)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	secret := env.storedWebhook(t).Secret
	env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Status: 400, Message: "secret " + secret + " cannot be reused"})
	ws.writeConfig(t, config(`"model.failed"`))
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil || !expectWords("Error Updating Glossi Webhook", "secret *** cannot be reused").MatchString(out) {
		// The output shown has the secret replaced: unmasked, it would be in this message.
		t.Fatalf("want the API's error with the secret masked, got err = %v:\n%s", err, strings.ReplaceAll(out, secret, "<the webhook secret>"))
	}
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var providerLines []string
	for line := range strings.Lines(string(logBytes)) {
		if strings.Contains(line, "provider.terraform-provider-glossi") {
			providerLines = append(providerLines, line)
		}
	}
	log := strings.Join(providerLines, "")
	if !strings.Contains(log, "hooks.example.com") {
		t.Fatal("the log has no request bodies; the test would prove nothing")
	}
	for name, text := range map[string]string{"the provider's DEBUG log": log, "terraform's output": out} {
		for what, value := range map[string]string{"the URL's password": password, "the URL's token": token, "the webhook secret": secret} {
			if name == "terraform's output" && what != "the webhook secret" {
				continue // the plan shows the configured URL; the plan warns about it
			}
			if strings.Contains(text, value) {
				t.Errorf("%s contains %s", name, what)
			}
		}
	}
}

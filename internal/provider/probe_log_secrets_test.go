package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

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
	url := verifyingReceiver(t, func() string { return env.storedWebhook(t).Secret })

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
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the webhook secret", name)
		}
		if strings.Contains(text, signature) {
			t.Errorf("%s contains a signature made with the webhook secret", name)
		}
	}
}

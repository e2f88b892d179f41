package provider

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// What the tests of both harnesses run against: a sandboxed Glossi API per test, its accounts,
// and the configurations several test files share.

// testAPIKey is distinctive so that a test can search logs and messages for it.
const testAPIKey = "tfacc-key-7c1e9a04b2d6f3"

// The keys of the accounts "staging" and "brand" in api_keys; distinctive so that tests can
// search output and logs for them.
const (
	stagingKey = "tfacc-key-staging-5d2f9b"
	brandKey   = "tfacc-key-brand-8a03e6"
)

// otherAccountKey is the key of a second account that is not in api_keys (provider for_each).
const otherAccountKey = "tfacc-key-second-4e8a1d"

// accountOfKey names the test account whose key is key, for failure messages, which never
// quote a key.
func accountOfKey(key string) string {
	switch key {
	case testAPIKey:
		return "the account of api_key"
	case stagingKey:
		return `account "staging"`
	case brandKey:
		return `account "brand"`
	case otherAccountKey:
		return "the second account"
	}
	return "an account the tests do not name"
}

// expectNoSecret fails the test if text, which is what (as "the plan's output"), holds the API
// key of a test account, a webhook secret the tests set themselves (probeTestSecret,
// functionTestSecret, lifecycleCallSecret), or one of secrets ("" is skipped). It names what it
// found, never quoting it.
func expectNoSecret(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, key := range []string{testAPIKey, stagingKey, brandKey, otherAccountKey} {
		if strings.Contains(text, key) {
			t.Errorf("%s contains an API key (%s)", what, accountOfKey(key))
		}
	}
	for _, secret := range []string{probeTestSecret, functionTestSecret, lifecycleCallSecret} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains a webhook secret the tests set", what)
		}
	}
	for i, secret := range secrets {
		if secret != "" && strings.Contains(text, secret) {
			t.Errorf("%s contains secret #%d of the %d the test checks", what, i+1, len(secrets))
		}
	}
}

// testEnv is one sandboxed Glossi API, started for one test.
type testEnv struct {
	sandbox *sandbox.Sandbox
	baseURL string
}

func newTestEnv(t testing.TB, opts sandbox.Options) *testEnv {
	t.Helper()
	if opts.APIKeys == nil {
		opts.APIKeys = []string{testAPIKey}
	}
	sb := sandbox.New(opts)
	server := httptest.NewServer(sb)
	t.Cleanup(server.Close)
	return &testEnv{sandbox: sb, baseURL: server.URL + "/api/v1"}
}

// newAccountsEnv is a sandbox that knows the default test key and the two others.
func newAccountsEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnv(t, sandbox.Options{APIKeys: []string{testAPIKey, stagingKey, brandKey}})
}

// providerBlock configures the provider against the sandbox, with short retries.
func (e *testEnv) providerBlock() string {
	return fmt.Sprintf(`
provider "glossi" {
  api_key     = %q
  base_url    = %q
  max_retries = 2
}
`, testAPIKey, e.baseURL)
}

// config is the provider block followed by the given HCL.
func (e *testEnv) config(hcl string) string {
	return e.providerBlock() + hcl
}

// accountsProviderBlock configures the default account and api_keys staging and brand.
func (e *testEnv) accountsProviderBlock() string {
	return fmt.Sprintf(`
provider "glossi" {
  api_key     = %q
  api_keys    = { staging = %q, brand = %q }
  base_url    = %q
  max_retries = 2
}
`, testAPIKey, stagingKey, brandKey, e.baseURL)
}

// impatientConfig is config with a provider that gives up quickly.
func (e *testEnv) impatientConfig(hcl string) string {
	return fmt.Sprintf(`
provider "glossi" {
  api_key         = %q
  base_url        = %q
  request_timeout = "300ms"
  max_retries     = 1
}
`, testAPIKey, e.baseURL) + hcl
}

// impatientProvider gives up on an answer after 300ms, with one retry.
const impatientProvider = `
provider "glossi" {
  request_timeout = "300ms"
  max_retries     = 1
}
`

// sandboxWebhook is a webhook at url, to store in the sandbox out of band.
func sandboxWebhook(url string) sandbox.Webhook {
	return sandbox.Webhook{URL: url, Events: []string{"render.complete"}, Enabled: true}
}

// storedWebhook is the sandbox's copy of the test account's webhook.
func (e *testEnv) storedWebhook(t *testing.T) sandbox.Webhook {
	t.Helper()
	return e.storedWebhookOf(t, testAPIKey)
}

// storedWebhookOf is the sandbox's copy of the webhook of the account of key.
func (e *testEnv) storedWebhookOf(t *testing.T, key string) sandbox.Webhook {
	t.Helper()
	w, ok := e.sandbox.Webhook(key)
	if !ok {
		t.Fatalf("the sandbox has no webhook for %s", accountOfKey(key))
	}
	return w
}

// checkDestroyed is a CheckDestroy that accepts only "the account has no webhook".
func (e *testEnv) checkDestroyed(*terraform.State) error {
	if _, ok := e.sandbox.Webhook(testAPIKey); ok {
		return fmt.Errorf("the sandbox still has a webhook for the test account after destroy")
	}
	return nil
}

// checkAccountsDestroyed accepts only "no account has a webhook".
func (e *testEnv) checkAccountsDestroyed(*terraform.State) error {
	for _, key := range []string{testAPIKey, stagingKey, brandKey} {
		if _, ok := e.sandbox.Webhook(key); ok {
			return fmt.Errorf("%s still has a webhook after destroy", accountOfKey(key))
		}
	}
	return nil
}

// apiCalls counts the requests the sandbox received since the log was last reset, by method.
func (e *testEnv) apiCalls() map[string]int {
	calls := map[string]int{}
	for _, r := range e.sandbox.Requests() {
		calls[r.Method]++
	}
	return calls
}

func formatCalls(calls map[string]int) string {
	var parts []string
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if calls[m] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", calls[m], m))
		}
	}
	if len(parts) == 0 {
		return "no calls"
	}
	return strings.Join(parts, " + ")
}

const resourceName = "glossi_webhook.test"

const basicWebhook = `
resource "glossi_webhook" "test" {
  url         = "https://hooks.example.com/glossi"
  events      = ["model.processed", "render.complete", "job.failed"]
  description = "acceptance test"
}
`

const changedWebhook = `
resource "glossi_webhook" "test" {
  url     = "https://hooks.example.com/glossi/v2"
  events  = ["render.failed", "model.failed"]
  enabled = false
}
`

// urlOnlyChange is basicWebhook with another URL and nothing else changed.
var urlOnlyChange = strings.Replace(basicWebhook, "hooks.example.com/glossi", "hooks.example.com/glossi/v3", 1)

// rotatedWebhook is basicWebhook with rotate_secret_triggers set to n.
func rotatedWebhook(n int) string {
	return fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url                    = "https://hooks.example.com/glossi"
  events                 = ["model.processed", "render.complete", "job.failed"]
  description            = "acceptance test"
  rotate_secret_triggers = { rotation = "%d" }
}
`, n)
}

func accountWebhook(name, account string) string {
	attr := ""
	if account != "" {
		attr = fmt.Sprintf("account = %q\n  ", account)
	}
	return fmt.Sprintf(`
resource "glossi_webhook" %q {
  %surl    = "https://hooks.example.com/%s"
  events = ["render.complete"]
}
`, name, attr, name)
}

const webhookDataSourceConfig = `
data "glossi_webhook" "test" {}
`

// secretAttributes hold the secret or follow from it; import cannot know them, as GET never
// returns the secret.
var secretAttributes = []string{"secret", "secret_version", "secret_fingerprint", "previous_secret", "secret_rotated_at"}

// An answer the client gives up on: every attempt of a PUT is applied, then answered after the
// provider's request_timeout.
var lateAnswer = sandbox.PutFault{AnswerAfter: 3 * time.Second}

// expectWords matches diagnostics that contain each phrase, however Terraform wraps the lines.
func expectWords(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, phrase := range phrases {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(phrase)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

func ptr[T any](v T) *T { return &v }

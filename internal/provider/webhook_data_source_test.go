package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The data source's attributes, read by the CLI (an apply a state, two runs where plugin-testing
// spends nineteen), checked as plugin-testing would check them in state.
func TestWebhookDataSource_fields(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)
	env := newTestEnv(t, sandbox.Options{Now: func() time.Time { return now }})
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"render.complete", "model.processed"},
		Enabled: true, Description: ptr("production"),
	})
	ws := newSandboxWorkspace(t, env, env.config(webhookDataSourceConfig))
	expect := func(when string, want map[string]knownvalue.Check) {
		t.Helper()
		ws.run(t, "apply", "-auto-approve", "-no-color")
		attrs := ws.dataSourceAttributes(t)
		for name, check := range want {
			if err := check.CheckValue(attrs[name]); err != nil {
				t.Errorf("%s, %s: %v", when, name, err)
			}
		}
	}
	expect("before any delivery", map[string]knownvalue.Check{
		"id":  knownvalue.StringExact(env.storedWebhook(t).ID),
		"url": knownvalue.StringExact("https://hooks.example.com/glossi"),
		"events": knownvalue.SetExact([]knownvalue.Check{
			knownvalue.StringExact("model.processed"), knownvalue.StringExact("render.complete"),
		}),
		"enabled":              knownvalue.Bool(true),
		"description":          knownvalue.StringExact("production"),
		"last_triggered_at":    knownvalue.Null(),
		"last_response_status": knownvalue.Null(),
		"failure_count":        knownvalue.Int64Exact(0),
	})
	// Two deliveries that exhausted their retries, the last one answered 503.
	env.sandbox.RecordDelivery(testAPIKey, 500, sandbox.RetriesExhausted)
	env.sandbox.RecordDelivery(testAPIKey, 503, sandbox.RetriesExhausted)
	expect("after two failed deliveries", map[string]knownvalue.Check{
		"last_triggered_at":    knownvalue.StringExact("2025-01-15T10:30:00.000Z"),
		"last_response_status": knownvalue.Int64Exact(503),
		"failure_count":        knownvalue.Int64Exact(2),
	})
}

// First, in the same workspace, the data source of an account without a webhook fails, whether
// the API says so with a 404 or with JSON null. Then a deterministic protocol error (https to an
// http server) is not retried, and a data source's error does not speak of a state it does not
// have. Through the CLI: an ErrorCheck runs only for steps without ExpectError, and a regexp
// cannot say what the error must not hold.
func TestWebhookDataSource_noWebhookThenSchemeMismatchNotRetried(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, webhookDataSourceConfig)
	for _, answer := range []sandbox.NoWebhookAnswer{sandbox.NoWebhookNotFound, sandbox.NoWebhookNull} {
		env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = answer })
		out, err := ws.tryRun(t, "plan", "-no-color")
		if err == nil {
			t.Errorf("reading the webhook of an account without one (answer %q) succeeded:\n%s", answer, out)
		}
		expectOutput(t, out, "Error: Glossi Webhook Not Found", "The account of api_key has no webhook.")
	}

	httpsURL := strings.Replace(env.baseURL, "http://", "https://", 1)
	ws.writeConfig(t, fmt.Sprintf(`
provider "glossi" {
  base_url    = %q
  max_retries = 4
}
`, httpsURL)+webhookDataSourceConfig)
	out, err := ws.tryRun(t, "plan", "-no-color")
	if err == nil {
		t.Fatalf("reading over https from an http server succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Error Reading Glossi Webhook", "server gave HTTP response to HTTPS client")
	for _, never := range []string{"in state", "attempts"} { // "after N attempts" names a retry
		if strings.Contains(out, never) {
			t.Errorf("the error holds %q: it speaks of state, or the request was retried:\n%s", never, out)
		}
	}
}

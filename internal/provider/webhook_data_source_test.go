package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The data source's attributes, read by the CLI (an apply a state, two runs where plugin-testing
// spends nineteen), checked as plugin-testing would check them in state.
func TestAccWebhookDataSource_fields(t *testing.T) {
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

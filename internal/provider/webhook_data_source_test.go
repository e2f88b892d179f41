package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const dataSourceName = "data.glossi_webhook.test"

const webhookDataSourceConfig = `
data "glossi_webhook" "test" {}
`

func TestAccWebhookDataSource_fields(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)
	env := newTestEnv(t, sandbox.Options{Now: func() time.Time { return now }})
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"render.complete", "model.processed"},
		Enabled: true, Description: ptr("production"),
	})
	attr := func(name string, want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dataSourceName, tfjsonpath.New(name), want)
	}
	resource.UnitTest(t, testCaseKeeping(
		resource.TestStep{
			Config: env.config(webhookDataSourceConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("id", knownvalue.StringExact(env.storedWebhook(t).ID)),
				attr("url", knownvalue.StringExact("https://hooks.example.com/glossi")),
				attr("events", knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("model.processed"), knownvalue.StringExact("render.complete"),
				})),
				attr("enabled", knownvalue.Bool(true)),
				attr("description", knownvalue.StringExact("production")),
				attr("last_triggered_at", knownvalue.Null()),
				attr("last_response_status", knownvalue.Null()),
				attr("failure_count", knownvalue.Int64Exact(0)),
			},
		},
		resource.TestStep{
			// Two deliveries that exhausted their retries, the last one answered 503.
			PreConfig: func() {
				env.sandbox.RecordDelivery(testAPIKey, 500, true)
				env.sandbox.RecordDelivery(testAPIKey, 503, true)
			},
			Config: env.config(webhookDataSourceConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				attr("last_triggered_at", knownvalue.StringExact("2025-01-15T10:30:00.000Z")),
				attr("last_response_status", knownvalue.Int64Exact(503)),
				attr("failure_count", knownvalue.Int64Exact(2)),
			},
		},
	))
}

// The account has no webhook, whether the API says so with a 404 or with JSON null.
func TestAccWebhookDataSource_noWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	noWebhook := resource.TestStep{
		Config:      env.config(webhookDataSourceConfig),
		ExpectError: expectWords(`Glossi Webhook Not Found`, `This Glossi account has no webhook.`),
	}
	asNull := noWebhook
	asNull.PreConfig = func() { env.sandbox.SetOptions(func(o *sandbox.Options) { o.NoWebhookAnswer = sandbox.NoWebhookNull }) }
	resource.UnitTest(t, testCaseKeeping(noWebhook, asNull))
}

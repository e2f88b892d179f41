package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func TestProvider_userAgent(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: env.config(webhookDataSourceConfig)}},
	})
	want := regexp.MustCompile(`^Terraform/\d+\.\d+\.\d+\S* terraform-provider-glossi/test$`)
	requests := env.sandbox.Requests()
	if len(requests) == 0 {
		t.Fatal("the data source made no request")
	}
	for _, r := range requests {
		if !want.MatchString(r.UserAgent) {
			t.Errorf("User-Agent %q does not match %s", r.UserAgent, want)
		}
	}
}

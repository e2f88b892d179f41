//go:build terraformlatest || opentofu

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Import by identity needs Terraform 1.12+ or OpenTofu 1.12+: `make testacc-terraform-latest`
// and `make testacc-opentofu` run these tests.

// `import { to = ..., identity = { account = "staging", id = "..." } }` imports the staging
// account's webhook with no change.
func TestWebhookResource_importByIdentity(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	config := env.accountsProviderBlock() + accountWebhook("staging", "staging")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkAccountsDestroyed,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:          config,
				ResourceName:    "glossi_webhook.staging",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("glossi_webhook.staging", plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue("glossi_webhook.staging", tfjsonpath.New("account"), knownvalue.StringExact("staging")),
					plancheck.ExpectKnownValue("glossi_webhook.staging", tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/staging")),
				}},
			},
			planOnlyStep(config),
		},
	})
}

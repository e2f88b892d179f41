//go:build terraformlatest

package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The resource's identity through a newer Terraform: in state (1.12+), after a state an older
// Terraform wrote, and in import blocks inside modules (1.16+). Built only with -tags
// terraformlatest: `make testacc-terraform-latest` runs them, with the whole suite, on Terraform
// CLI_TERRAFORM_LATEST (scripts/cli-versions.env).

// The identity of each account's webhook is in state, and changes when the webhook is replaced
// outside Terraform; a refresh that finds the webhook gone still succeeds.
func TestWebhookResource_identityFollowsTheWebhook(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	config := env.accountsProviderBlock() + accountWebhook("main", "") + accountWebhook("staging", "staging")
	sandboxID := func(key string) knownvalue.Check {
		return knownvalue.StringFunc(func(got string) error {
			if w, ok := env.sandbox.Webhook(key); !ok || w.ID != got {
				return fmt.Errorf("identity id %q is not the id of the account's webhook", got)
			}
			return nil
		})
	}
	identity := func(account knownvalue.Check, key string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"account": account, "id": sandboxID(key)}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkAccountsDestroyed,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("glossi_webhook.main", identity(knownvalue.Null(), testAPIKey)),
					statecheck.ExpectIdentity("glossi_webhook.staging", identity(knownvalue.StringExact("staging"), stagingKey)),
				},
			},
			{
				// Replaced outside Terraform: the refresh follows the new id (a mutable identity),
				// and the apply stores its secret.
				PreConfig: func() {
					env.sandbox.DeleteWebhook(stagingKey)
					env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("glossi_webhook.staging", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("glossi_webhook.staging", identity(knownvalue.StringExact("staging"), stagingKey)),
				},
			},
			{
				// Deleted outside Terraform: the refresh removes it (with an identity, as Terraform
				// requires) and the plan creates it again.
				PreConfig: func() { env.sandbox.DeleteWebhook(testAPIKey) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("glossi_webhook.main", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("glossi_webhook.main", identity(knownvalue.Null(), testAPIKey)),
				},
			},
		},
	})
}

// A state written by Terraform 1.11, which knows no identity, gets one at the first refresh by
// the newer Terraform, which plans no change.
func TestWebhookResource_identityAddedToStateOfOlderTerraform(t *testing.T) {
	t.Parallel()
	older, err := exec.LookPath("terraform")
	if err != nil || older == terraformPath(t) {
		t.Fatal("the installed terraform (1.11) must be on PATH, apart from TF_ACC_TERRAFORM_PATH: it writes the state this test refreshes")
	}
	env := newAccountsEnv(t)
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() +
		accountWebhook("staging", "staging")})
	apply := exec.Command(older, "apply", "-auto-approve", "-no-color")
	apply.Dir, apply.Env = ws.dir, ws.env
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("%s apply: %v\n%s", older, err, out)
	}
	if state := ws.run(t, "show", "-json"); strings.Contains(state, `"identity"`) {
		t.Fatalf("the state %s wrote already has an identity; the test would prove nothing", older)
	}

	ws.run(t, "apply", "-refresh-only", "-auto-approve", "-no-color")
	want := `"identity":{"account":"staging","id":"` + env.storedWebhookOf(t, stagingKey).ID + `"}`
	if state := ws.run(t, "show", "-json"); !strings.Contains(state, want) {
		t.Errorf("after a refresh the state lacks %s:\n%s", want, state)
	}
	ws.expectNoChanges(t, "an apply by "+older)
}

// An import block inside a module (Terraform 1.16) imports a webhook by its identity, given by
// the module's variables; the module declares the provider, and the plan changes nothing else.
func TestWebhookResource_importByIdentityInModule(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	existing := env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() + fmt.Sprintf(`
module "staging_webhook" {
  source     = "./webhook"
  account    = "staging"
  webhook_id = %q
}
`, existing.ID)})
	if err := os.Mkdir(filepath.Join(ws.dir, "webhook"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(ws.dir, "webhook", "main.tf"), cliRequiredProviders+`
variable "account" {
  type = string
}

variable "webhook_id" {
  type = string
}

import {
  to = glossi_webhook.this
  identity = {
    account = var.account
    id      = var.webhook_id
  }
}

resource "glossi_webhook" "this" {
  account = var.account
  url     = "https://hooks.example.com/staging"
  events  = ["render.complete"]
}
`)
	ws.run(t, "init", "-no-color")
	out := ws.run(t, "plan", "-no-color")
	if want := "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) ||
		!strings.Contains(out, "module.staging_webhook.glossi_webhook.this will be imported") {
		t.Errorf("the plan of an import block inside a module does not import module.staging_webhook.glossi_webhook.this alone:\n%s", out)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if after := env.storedWebhookOf(t, stagingKey); after.ID != existing.ID || after.Secret != existing.Secret {
		t.Error("importing inside a module changed the webhook")
	}
	ws.expectNoChanges(t, "an import block inside a module")
}

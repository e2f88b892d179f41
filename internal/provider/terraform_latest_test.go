//go:build terraformlatest

package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// These tests need Terraform 1.14 or newer (resource identity, list resources and `terraform
// query`, actions) and are built only with -tags terraformlatest, which `make
// testacc-terraform-latest` sets along with TF_ACC_TERRAFORM_PATH pointing at the Terraform
// scripts/terraform.sh builds; it runs only the TestLatestCLI_ tests.

// The identity of each account's webhook is in state, and changes when the webhook is replaced
// outside Terraform; a refresh that finds the webhook gone still succeeds.
func TestLatestCLI_identity(t *testing.T) {
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

// `terraform query` lists one result per account that has a webhook (the brand account has
// none), with its identity, a display name naming the account and URL, and with
// include_resource the resource's values; config { accounts } narrows it.
func TestLatestCLI_query(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	env.sandbox.SetWebhook(testAPIKey, sandboxWebhook("https://hooks.example.com/main"))
	env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
	staging := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"account": knownvalue.StringExact("staging"),
		"id":      knownvalue.StringExact(env.storedWebhookOf(t, stagingKey).ID),
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.accountsProviderBlock()},
			{
				Query: true,
				Config: `
list "glossi_webhook" "all" {
  provider         = glossi
  include_resource = true
}

list "glossi_webhook" "staging" {
  provider = glossi
  config {
    accounts = ["staging"]
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("glossi_webhook.all", 2),
					querycheck.ExpectIdentity("glossi_webhook.all", map[string]knownvalue.Check{
						"account": knownvalue.Null(),
						"id":      knownvalue.StringExact(env.storedWebhookOf(t, testAPIKey).ID),
					}),
					querycheck.ExpectResourceDisplayName("glossi_webhook.all", staging,
						knownvalue.StringExact(`webhook of account "staging" to https://hooks.example.com/staging`)),
					querycheck.ExpectResourceKnownValues("glossi_webhook.all", staging, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("url"), KnownValue: knownvalue.StringExact("https://hooks.example.com/staging")},
						{Path: tfjsonpath.New("account"), KnownValue: knownvalue.StringExact("staging")},
					}),
					querycheck.ExpectLength("glossi_webhook.staging", 1),
				},
			},
		},
	})
}

// The CLI flow: `terraform query -generate-config-out` writes resource and import blocks with
// account set, and their plan imports every webhook and changes nothing.
func TestLatestCLI_queryGenerateConfig(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	env.sandbox.SetWebhook(testAPIKey, sandboxWebhook("https://hooks.example.com/main"))
	env.sandbox.SetWebhook(stagingKey, sandboxWebhook("https://hooks.example.com/staging"))
	env.sandbox.SetWebhook(brandKey, sandboxWebhook("https://hooks.example.com/brand"))
	ws := newCLIWorkspace(t, map[string]string{
		"main.tf":              cliRequiredProviders + env.accountsProviderBlock(),
		"webhooks.tfquery.hcl": readExample(t, "list-resources/glossi_webhook/list.tfquery.hcl"),
	})

	out := ws.run(t, "query", "-no-color", "-generate-config-out=generated.tf")
	for _, want := range []string{`webhook of account "staging" to https://hooks.example.com/staging`, "https://hooks.example.com/main"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query does not show %q:\n%s", want, out)
		}
	}
	generated, err := os.ReadFile(filepath.Join(ws.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(generated), "import {"); n != 3 || !strings.Contains(string(generated), `account = "brand"`) {
		t.Errorf("want 3 import blocks and account = \"brand\" in the generated configuration:\n%s", generated)
	}
	if err := os.Remove(filepath.Join(ws.dir, "webhooks.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	out = ws.run(t, "plan", "-no-color")
	if want := "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Errorf("the plan of the generated configuration does not say %q:\n%s\ngenerated:\n%s", want, out, generated)
	}
}

// probeReceiver is a receiver for the glossi_webhook_probe action: it accepts deliveries signed
// with the secret of the sandbox's webhook of key and, when strict, refuses the others with 401.
type probeReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	received int
}

// probeReceiverKind is what a probeReceiver checks of a delivery.
type probeReceiverKind int

const (
	verifiesSignatures probeReceiverKind = iota // refuses a delivery not signed with key's secret
	acceptsAnything                             // a receiver that forgot to verify
)

func newProbeReceiver(t *testing.T, env *testEnv, key string, kind probeReceiverKind) *probeReceiver {
	t.Helper()
	r := &probeReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.received++
		r.mu.Unlock()
		webhook, _ := env.sandbox.Webhook(key)
		if kind == verifiesSignatures && req.Header.Get(glossiwebhook.SignatureHeader) != glossiwebhook.Sign(body, webhook.Secret) {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *probeReceiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.received
}

// probedWebhook is the action example with its webhook at url: its create and updates trigger
// the probe action.
func probedWebhook(t *testing.T, url string) string {
	t.Helper()
	return strings.ReplaceAll(readExample(t, "actions/glossi_webhook_probe/action.tf"), "https://hooks.example.com/glossi", url)
}

// action_trigger runs the probe after the create (a receiver that verifies: the apply succeeds)
// and after the update (a receiver that accepts anything: the apply fails, naming why).
func TestLatestCLI_probeActionTrigger(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	good := newProbeReceiver(t, env, testAPIKey, verifiesSignatures)
	careless := newProbeReceiver(t, env, testAPIKey, acceptsAnything)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: env.config(probedWebhook(t, good.URL)),
				ConfigStateChecks: []statecheck.StateCheck{stateFunc(func() error {
					if n := good.count(); n != 2 {
						return fmt.Errorf("the receiver got %d probe deliveries after the create, want 2", n)
					}
					return nil
				})},
			},
			{
				Config:      env.config(probedWebhook(t, careless.URL)),
				ExpectError: expectWords("Glossi Webhook Receiver Accepted a Forged Probe", careless.URL, "status 200"),
			},
		},
	})
}

// `terraform apply -invoke` runs the action alone: it passes against a receiver that verifies,
// fails against one that refuses the right signature, and never prints the secret.
func TestLatestCLI_probeActionInvoke(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	good := newProbeReceiver(t, env, testAPIKey, verifiesSignatures)
	ws := newExampleWorkspace(t, env, probedWebhook(t, good.URL))
	ws.run(t, "apply", "-auto-approve", "-no-color")
	before := good.count()

	out := ws.run(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.main")
	if n := good.count() - before; n != 2 {
		t.Errorf("-invoke sent the receiver %d deliveries, want 2:\n%s", n, out)
	}
	secret := env.storedWebhook(t).Secret
	env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.Secret = "rotated-elsewhere-" + w.ID })
	failed, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.main")
	if err == nil || !expectWords("Glossi Webhook Receiver Did Not Accept the Signed Probe", "status 401").MatchString(failed) {
		t.Errorf("-invoke against a receiver with another secret: err = %v, want the refused-signature error:\n%s", err, failed)
	}
	if strings.Contains(out+failed, secret) {
		t.Error("terraform's output contains the webhook secret")
	}
	ws.run(t, "destroy", "-auto-approve", "-no-color")
}

// sandboxWebhook is a webhook at url, to store in the sandbox out of band.
func sandboxWebhook(url string) sandbox.Webhook {
	return sandbox.Webhook{URL: url, Events: []string{"render.complete"}, Enabled: true}
}

// A state written by Terraform 1.11, which knows no identity, gets one at the first refresh by
// the newer Terraform, which plans no change.
func TestLatestCLI_stateFromOlderTerraform(t *testing.T) {
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

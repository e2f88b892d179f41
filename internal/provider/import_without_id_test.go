package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const (
	importWithoutIDExample      = "resources/glossi_webhook/import-without-id.tf"
	importGenerateConfigExample = "resources/glossi_webhook/import-generate-config.tf"
)

// import-without-id.tf imports the account's webhook by the id the data source reads: the plan
// imports it and changes nothing, the apply keeps it and its secret, the next plan is empty.
func TestExamples_importWithoutID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	seedWebhook(env)
	existing := env.storedWebhook(t)
	ws := newExampleWorkspace(t, env, readExample(t, importWithoutIDExample))

	out := ws.run(t, "plan", "-no-color")
	if want := "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Errorf("the plan of %s does not say %q:\n%s", importWithoutIDExample, want, out)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if after := env.storedWebhook(t); after.ID != existing.ID || after.Secret != existing.Secret {
		t.Errorf("importing without the id changed the webhook: id %s -> %s", existing.ID, after.ID)
	}
	if state := ws.stateAddresses(t); !slices.Contains(state, "glossi_webhook.main") {
		t.Errorf("glossi_webhook.main is not in the state after the import: %v", state)
	}
	ws.expectNoChanges(t, importWithoutIDExample)
}

// import-generate-config.tf, as written, with -generate-config-out: Terraform writes the resource
// block from the API, the apply imports the webhook, and the next plan is empty. The webhook is
// disabled and has no description, which the API answers as null: the generated block must say
// enabled = false and hold no description the next plan would change. On Terraform 1.16.0 the
// example's aliased provider is what makes both steps work (hashicorp/terraform#39144). (An
// import block with the id written out, and generated configuration, is
// TestAccWebhookResource_afterCreate's.)
func TestExamples_importGenerateConfig(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{EmptyDescriptionAsNull: true})
	seedWebhook(env)
	env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.Enabled = false })
	existing := env.storedWebhook(t)
	ws := newExampleWorkspace(t, env, readExample(t, importGenerateConfigExample))

	ws.run(t, "plan", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(ws.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`resource "glossi_webhook" "main"`, `url`, `"https://hooks.example.com/glossi"`, `"render.complete"`, `"model.processed"`} {
		if !strings.Contains(string(generated), want) {
			t.Errorf("the generated configuration lacks %s:\n%s", want, generated)
		}
	}
	if !regexp.MustCompile(`enabled\s*=\s*false`).Match(generated) {
		t.Errorf("the generated configuration lacks enabled = false:\n%s", generated)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if after := env.storedWebhook(t); after.ID != existing.ID || after.Secret != existing.Secret {
		t.Error("importing with generated configuration changed the webhook")
	}
	ws.expectNoChanges(t, importGenerateConfigExample+" with -generate-config-out")
}

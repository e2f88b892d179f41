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

const importWithoutIDExample = "resources/glossi_webhook/import-without-id.tf"

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

// The same import block with -generate-config-out and no resource block: Terraform writes the
// resource from the API, and once applied the plan is empty. The webhook is disabled and has no
// description, which the API answers as null: the generated block must say enabled = false and
// hold no description the next plan would change. (This is also the user flow of
// -generate-config-out through the real binaries; an import block with the id written out, and
// generated configuration, is TestAccWebhookResource_afterCreate's.)
func TestExamples_importWithoutIDGenerateConfig(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{EmptyDescriptionAsNull: true})
	seedWebhook(env)
	env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.Enabled = false })
	existing := env.storedWebhook(t)
	example := readExample(t, importWithoutIDExample)
	resourceAt := strings.Index(example, `resource "glossi_webhook" "main"`)
	if resourceAt < 0 {
		t.Fatalf("%s has no glossi_webhook.main resource block", importWithoutIDExample)
	}
	ws := newExampleWorkspace(t, env, example[:resourceAt])

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
	ws.expectNoChanges(t, "importing without the id with -generate-config-out")
}

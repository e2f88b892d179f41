package provider

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The examples under examples/ become the Registry documentation. These tests run them through
// the real terraform CLI and the real provider binary against a sandbox, so an example that
// stops working fails CI. Examples that need other providers (AWS, Kubernetes, GitHub) live in
// a secrets/ folder and are only checked for formatting.

const (
	// exampleImportID is the placeholder webhook id in import.sh and import-by-block.tf; the
	// tests replace it with the id of a webhook created out of band.
	exampleImportID = "5b2a8f0e-3c1d-4e7a-9f6b-2d8c4a1e7b90"

	// otherProvidersDir holds, in an example folder, examples that use other providers.
	otherProvidersDir = "secrets"
)

// exampleFolders are the folders tfplugindocs reads examples from.
var exampleFolders = []string{
	"provider",
	"resources/glossi_webhook",
	"data-sources/glossi_webhook",
}

// isImportExample reports whether name is an example that imports an existing webhook; those
// are run by TestExamples_importBlock, not applied on their own.
func isImportExample(name string) bool {
	return strings.HasPrefix(name, "import")
}

// appliedExamples lists, relative to examplesDir, every .tf example that uses only this
// provider and is applied on its own.
func appliedExamples(t *testing.T) []string {
	t.Helper()
	var examples []string
	for _, folder := range exampleFolders {
		entries, err := os.ReadDir(filepath.Join(examplesDir, folder))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			switch {
			case e.IsDir() && e.Name() == otherProvidersDir:
			case e.IsDir():
				t.Errorf("examples/%s/%s: an example folder may only hold %s/ (examples using other providers); "+
					"put examples that use only glossi beside the others, so that they are applied", folder, e.Name(), otherProvidersDir)
			case filepath.Ext(e.Name()) == ".tf" && !isImportExample(e.Name()):
				examples = append(examples, filepath.Join(folder, e.Name()))
			}
		}
	}
	if len(examples) < 3 {
		t.Fatalf("found only %d examples to apply (%v) under %s", len(examples), examples, examplesDir)
	}
	return examples
}

var warningLine = regexp.MustCompile(`(?m)^Warning: (.+)$`)

// unexpectedWarnings are the warnings in terraform's output, but for the dev_overrides one that
// every run of a local build prints.
func unexpectedWarnings(out string) []string {
	var warnings []string
	for _, m := range warningLine.FindAllStringSubmatch(out, -1) {
		if m[1] != "Provider development overrides are in effect" {
			warnings = append(warnings, m[1])
		}
	}
	return warnings
}

// seedWebhook gives the test account a healthy webhook, for examples that only read it.
func seedWebhook(env *testEnv) {
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL:     "https://hooks.example.com/glossi",
		Events:  []string{"model.processed", "render.complete"},
		Enabled: true,
	})
}

// Every example that uses only this provider applies, plans empty afterwards, and destroys.
func TestExamples_apply(t *testing.T) {
	t.Parallel()
	for _, name := range appliedExamples(t) {
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			readsOnly := strings.HasPrefix(filepath.ToSlash(name), "data-sources/")
			if readsOnly {
				seedWebhook(env)
			}
			ws := newExampleWorkspace(t, env, readExample(t, name))

			out := ws.run(t, "apply", "-auto-approve", "-no-color")
			if w := unexpectedWarnings(out); len(w) > 0 {
				t.Errorf("applying %s printed warnings %q:\n%s", name, w, out)
			}
			if !readsOnly {
				if w, ok := env.sandbox.Webhook(testAPIKey); !ok || w.Secret == "" {
					t.Fatalf("applying %s left the account without a webhook", name)
				}
			}
			ws.expectNoChanges(t, "applying "+name)
			ws.run(t, "destroy", "-auto-approve", "-no-color")
			if _, ok := env.sandbox.Webhook(testAPIKey); !readsOnly && ok {
				t.Errorf("destroying %s left the webhook in the account", name)
			}
		})
	}
}

// The check block of the data source documentation is silent while deliveries succeed, and
// warns, without failing, once they fail.
func TestExamples_dataSourceCheckWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	seedWebhook(env)
	env.sandbox.RecordDelivery(testAPIKey, 200, sandbox.RetriesLeft)
	ws := newExampleWorkspace(t, env, readExample(t, "data-sources/glossi_webhook/check.tf"))

	if out := ws.run(t, "apply", "-auto-approve", "-no-color"); strings.Contains(out, "Check block assertion failed") {
		t.Errorf("the check warns about a healthy webhook:\n%s", out)
	}

	env.sandbox.RecordDelivery(testAPIKey, 503, sandbox.RetriesExhausted)
	out := ws.run(t, "plan", "-no-color")
	for _, want := range []string{
		"Check block assertion failed",
		"The Glossi webhook has 1 failed deliveries",
		"was answered with HTTP 503, not 2xx",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the plan of a failing webhook does not say %q:\n%s", want, out)
		}
	}

	// A higher threshold tolerates the failure; the 503 still warns.
	out = ws.run(t, "plan", "-no-color", "-var", "max_webhook_failures=1")
	if strings.Contains(out, "failed deliveries") || !strings.Contains(out, "HTTP 503") {
		t.Errorf("with max_webhook_failures=1, want only the status warning:\n%s", out)
	}

	// The receiver goes down: the attempt gets no HTTP answer, and the check fires.
	env.sandbox.RecordDelivery(testAPIKey, 0, sandbox.RetriesLeft)
	out = ws.run(t, "plan", "-no-color", "-var", "max_webhook_failures=1")
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "was answered with HTTP 0, not 2xx (0: no answer, the receiver was unreachable") {
		t.Errorf("with the receiver down, the check must warn:\n%s", out)
	}
}

// replaceOutOfBand replaces the account's webhook with a copy under a new id, as if it had been
// created in the Glossi console, and returns that id.
func replaceOutOfBand(t *testing.T, env *testEnv) string {
	t.Helper()
	applied := env.storedWebhook(t)
	env.sandbox.DeleteWebhook(testAPIKey)
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL:         applied.URL,
		Events:      applied.Events,
		Enabled:     applied.Enabled,
		Description: applied.Description,
	})
	if existing.ID == applied.ID || existing.ID == exampleImportID {
		t.Fatalf("the out-of-band webhook reused id %s", existing.ID)
	}
	return existing.ID
}

func withImportID(t *testing.T, name, text, id string) string {
	t.Helper()
	if !strings.Contains(text, exampleImportID) {
		t.Fatalf("%s does not use the placeholder id %s that the tests replace", name, exampleImportID)
	}
	return strings.ReplaceAll(text, exampleImportID, id)
}

// import.sh imports a webhook created outside Terraform into resource.tf's configuration, and
// the next plan is empty.
func TestExamples_importCommand(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	config := readExample(t, "resources/glossi_webhook/resource.tf")
	newExampleWorkspace(t, env, config).run(t, "apply", "-auto-approve", "-no-color")
	id := replaceOutOfBand(t, env)

	script := withImportID(t, "import.sh", readExample(t, "resources/glossi_webhook/import.sh"), id)
	var commands [][]string
	for line := range strings.Lines(script) {
		fields := strings.Fields(line)
		if len(fields) > 2 && fields[0] == "terraform" && fields[1] == "import" {
			commands = append(commands, fields[2:])
		}
	}
	if len(commands) != 1 {
		t.Fatalf("import.sh holds %d terraform import commands, want 1:\n%s", len(commands), script)
	}

	ws := newExampleWorkspace(t, env, config)
	out := ws.run(t, append([]string{"import", "-no-color"}, commands[0]...)...)
	if !strings.Contains(out, "Import successful") {
		t.Errorf("terraform import did not report success:\n%s", out)
	}
	ws.expectNoChanges(t, "import.sh")
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("destroying the imported webhook left it in the account")
	}
}

var importBlock = regexp.MustCompile(`(?ms)^import \{\n.*?^\}\n`)

// import-by-block.tf plans only the import of a webhook created outside Terraform, applies,
// and the next plan is empty.
func TestExamples_importBlock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	example := readExample(t, "resources/glossi_webhook/import-by-block.tf")
	withoutImport := importBlock.ReplaceAllString(example, "")
	if withoutImport == example {
		t.Fatal("import-by-block.tf has no import block")
	}
	// The resource block alone creates the webhook the import block then finds.
	newExampleWorkspace(t, env, withoutImport).run(t, "apply", "-auto-approve", "-no-color")
	id := replaceOutOfBand(t, env)

	ws := newExampleWorkspace(t, env, withImportID(t, "import-by-block.tf", example, id))
	out := ws.run(t, "plan", "-no-color")
	if want := "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Errorf("the plan of import-by-block.tf does not say %q:\n%s", want, out)
	}
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if got := env.storedWebhook(t).ID; got != id {
		t.Errorf("after the import the account's webhook is %s, want the imported %s", got, id)
	}
	ws.expectNoChanges(t, "import-by-block.tf")
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	if _, ok := env.sandbox.Webhook(testAPIKey); ok {
		t.Error("destroying the imported webhook left it in the account")
	}
}

// The examples that need other providers cannot run here; they are at least formatted, and
// each feeds the webhook's secret to its provider.
func TestExamples_otherProvidersFormatted(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(examplesDir, "resources/glossi_webhook", otherProvidersDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		if !strings.Contains(readExample(t, filepath.Join("resources/glossi_webhook", otherProvidersDir, filepath.Base(f))), "glossi_webhook.main.secret") {
			t.Errorf("%s does not use glossi_webhook.main.secret", f)
		}
	}
	for _, want := range []string{"aws-secrets-manager.tf", "github-actions-secret.tf", "kubernetes-secret.tf"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s lacks %s, which the resource documentation includes", dir, want)
		}
	}

	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	ws := newCLIWorkspace(t, nil)
	if out, err := ws.tryRun(t, "fmt", "-check", "-diff", "-no-color", abs); err != nil {
		t.Errorf("terraform fmt -check %s: %v (run make fmt)\n%s", dir, err, out)
	}
}

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
// TestWebhookResource_afterCreate's.)
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

// The removed block of the guide forgets the webhook without deleting it: the account keeps the
// same webhook and secret, the state no longer holds it, and a later plan is empty.
func TestExamples_removedKeepsWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newExampleWorkspace(t, env, readExample(t, "resources/glossi_webhook/resource.tf"))
	ws.run(t, "apply", "-auto-approve", "-no-color")
	applied := env.storedWebhook(t)

	removed := readExample(t, "guides/stop-managing/removed.tf")
	writeFile(t, ws.dir+"/main.tf", removed)
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(out, "0 destroyed") {
		t.Errorf("applying removed.tf does not report 0 destroyed:\n%s", out)
	}
	if after := env.storedWebhook(t); after.ID != applied.ID || after.Secret != applied.Secret || after.URL != applied.URL {
		t.Error("applying removed.tf changed or replaced the webhook")
	}
	if state := ws.stateAddresses(t); slices.Contains(state, "glossi_webhook.main") {
		t.Errorf("glossi_webhook.main is still in the state: %v", state)
	}
	ws.expectNoChanges(t, "removed.tf")
}

// The many-accounts guide: one provider block with api_keys manages a webhook per account;
// removing an account from the map destroys its webhook and nothing else (the trap of provider
// for_each, "Provider instance not present", cannot happen). The first apply is of a saved plan,
// which holds the values of the variables it was planned with, sensitive ones too: the example
// declares its keys ephemeral, so the plan file holds none of them, and applying it reads them
// from the environment again.
func TestExamples_manyAccounts(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	tfvars := func(accounts ...string) string {
		var urls []string
		for _, a := range accounts {
			urls = append(urls, fmt.Sprintf("  %s = %q", a, "https://hooks.example.com/"+a))
		}
		return "receiver_urls = {\n" + strings.Join(urls, "\n") + "\n}\n"
	}
	ws := newCLIWorkspace(t, map[string]string{
		"main.tf":          readExample(t, "guides/many-accounts/main.tf"),
		"terraform.tfvars": tfvars("staging", "brand"),
	}, envBaseURL+"="+env.baseURL, envAPIKey+"=",
		fmt.Sprintf(`TF_VAR_glossi_api_keys={"staging":%q,"brand":%q}`, stagingKey, brandKey))

	ws.run(t, "plan", "-no-color", "-out=tfplan")
	for name, text := range planFileTexts(t, ws) {
		expectNoSecret(t, name+" of the saved plan", text)
	}
	ws.applySaved(t)
	for key, account := range map[string]string{stagingKey: "staging", brandKey: "brand"} {
		if w, ok := env.sandbox.Webhook(key); !ok || w.URL != "https://hooks.example.com/"+account {
			t.Errorf("applying the saved plan left the %s account with webhook %q (found %t)", account, w.URL, ok)
		}
	}
	ws.expectNoChanges(t, "applying many-accounts/main.tf")

	writeFile(t, filepath.Join(ws.dir, "terraform.tfvars"), tfvars("staging"))
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "0 added, 0 changed, 1 destroyed")
	if _, ok := env.sandbox.Webhook(brandKey); ok {
		t.Error("removing brand from the map left its webhook")
	}
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	if err := env.checkAccountsDestroyed(nil); err != nil {
		t.Error(err)
	}
}

// check.tf, the example of the documentation, is silent for a receiver that verifies with the
// webhook's secret, and warns, without failing the apply, for one that has another secret or
// accepts forgeries. No secret appears in the output.
func TestExamples_probeCheck(t *testing.T) {
	t.Parallel()
	example := readExample(t, "data-sources/glossi_webhook_probe/check.tf")
	cases := map[string]struct {
		receiver func(t *testing.T, env *testEnv) string
		warning  string
	}{
		"right secret": {receiver: func(t *testing.T, env *testEnv) string {
			return verifyingReceiver(t, func() string { return env.storedWebhook(t).Secret }).URL
		}},
		"wrong secret": {
			receiver: func(t *testing.T, _ *testEnv) string { return verifyingReceiver(t, fixedSecret("whsec_other")).URL },
			warning:  "The receiver refused a delivery signed with the webhook's secret (status 401)",
		},
		"accepts anything": {
			receiver: func(t *testing.T, _ *testEnv) string { return acceptingReceiver(t).URL },
			warning:  "The receiver did not refuse a delivery with a forged signature (status 200)",
		},
		"down": {
			receiver: func(t *testing.T, _ *testEnv) string { return downReceiver(t) },
			warning:  "The receiver refused a delivery signed with the webhook's secret (status 0: the signed delivery got no answer",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			ws := newExampleWorkspace(t, env, example)
			out := ws.run(t, "apply", "-auto-approve", "-no-color", "-var", "receiver_url="+c.receiver(t, env))
			flat := strings.Join(strings.Fields(out), " ")
			switch {
			case c.warning == "" && strings.Contains(out, "Check block assertion failed"):
				t.Errorf("the check warns about a receiver that verifies signatures:\n%s", out)
			case c.warning != "" && !strings.Contains(flat, c.warning):
				t.Errorf("the apply does not warn %q:\n%s", c.warning, out)
			}
			expectNoSecret(t, "the apply's output", out, env.storedWebhook(t).Secret)
		})
	}
}

// exampleFiles reads every file under examplesDir/dir, keyed by its path relative to dir.
func exampleFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	root := filepath.Join(examplesDir, dir)
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The `terraform test` example checks a receiver module with the provider functions; every run
// block passes.
func TestExamples_terraformTestReceiverModule(t *testing.T) {
	t.Parallel()
	files := exampleFiles(t, "terraform-test/receiver")
	ws := newCLIWorkspace(t, nil)
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ws.dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws.dir, name), content)
	}
	out := ws.run(t, "test", "-no-color")
	if !strings.Contains(out, "Success! 3 passed, 0 failed.") {
		t.Errorf("terraform test of examples/terraform-test/receiver did not pass its 3 runs:\n%s", out)
	}
}

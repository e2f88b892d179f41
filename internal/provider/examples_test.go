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

package provider

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The harness of the tests that run the real provider binary under the real terraform CLI
// through a dev_overrides CLI configuration, the way a user with a local build would: for what
// plugin-testing cannot show (warnings, the CLI's own output and commands, examples/ as written,
// `terraform test`). A workspace per test, its runs, and what they leave in its state file. The
// CLI under test is Terraform or OpenTofu: cli_terraform_test.go and cli_opentofu_test.go say
// which, by build tag.

var (
	buildOnce   sync.Once
	builtDir    string
	errBuilding error

	versionOnce sync.Once
	cliVersion  *version.Version
	errVersion  error
)

// TestMain removes the provider binary the CLI tests built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		_ = os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// providerBinaryDir builds the provider once per test run and returns the folder holding it.
func providerBinaryDir(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		// Shared by every test of the run, so it must outlive each test's TempDir; TestMain
		// removes it.
		builtDir, errBuilding = os.MkdirTemp("", "glossi-provider-bin") //nolint:usetesting // see above
		if errBuilding != nil {
			return
		}
		var cover []string
		if cover, errBuilding = coverBuildFlags(); errBuilding != nil {
			return
		}
		args := append([]string{"build", "-o", filepath.Join(builtDir, "terraform-provider-glossi")}, cover...)
		cmd := exec.Command("go", append(args, "github.com/glossi/terraform-provider-glossi")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			errBuilding = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if errBuilding != nil {
		t.Fatal(errBuilding)
	}
	return builtDir
}

// coverBuildFlags makes the provider binary count coverage when this test binary does (go test
// -cover), so that the CLI runs are counted too (make cover merges both with go tool covdata):
// the binary is built with -cover over the whole module and writes its counters where this test
// binary writes its own, the folder of -test.gocoverdir. GOCOVERDIR takes it there: terraform
// passes its environment on to the plugins it starts, and every CLI run's environment is this
// process's, read after the build (newCLIWorkspace). go test points GOCOVERDIR at a temporary
// folder of its own, which -test.gocoverdir overrides for the test binary only.
func coverBuildFlags() ([]string, error) {
	mode := testing.CoverMode()
	dir := flag.Lookup("test.gocoverdir")
	if mode == "" || dir == nil || dir.Value.String() == "" {
		return nil, nil
	}
	// Relative to this package's folder, as go test reads it; terraform runs elsewhere.
	abs, err := filepath.Abs(dir.Value.String())
	if err != nil {
		return nil, err
	}
	if err := os.Setenv("GOCOVERDIR", abs); err != nil {
		return nil, err
	}
	return []string{"-cover", "-covermode=" + mode, "-coverpkg=github.com/glossi/terraform-provider-glossi/..."}, nil
}

// skipBelowCLIVersion skips the test when the CLI under test (Terraform, or OpenTofu's own
// version) is older than minimum: the feature the test needs does not exist there.
func skipBelowCLIVersion(t testing.TB, minimum string) {
	t.Helper()
	versionOnce.Do(func() {
		var out []byte
		cmd := exec.Command(terraformPath(t), "version", "-json")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		if out, errVersion = cmd.Output(); errVersion != nil {
			return
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		if errVersion = json.Unmarshal(out, &v); errVersion == nil {
			cliVersion, errVersion = version.NewVersion(v.Version)
		}
	})
	if errVersion != nil {
		t.Fatalf("terraform version -json: %v", errVersion)
	}
	if cliVersion.LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("needs %s or newer; the CLI under test is %s", minimum, cliVersion)
	}
}

func terraformPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: install Terraform to run these tests")
	}
	return p
}

// providerHost is the registry host that source = "glossi/glossi" means to the CLI under test:
// registry.terraform.io for Terraform, registry.opentofu.org for OpenTofu. TF_ACC_PROVIDER_HOST
// names it, as for terraform-plugin-testing.
func providerHost() string {
	if host := os.Getenv("TF_ACC_PROVIDER_HOST"); host != "" {
		return host
	}
	return "registry.terraform.io"
}

// cliWorkspace is a folder with a Terraform configuration and a CLI config that points
// <providerHost>/glossi/glossi at the freshly built provider.
type cliWorkspace struct {
	dir string
	env []string
}

func newCLIWorkspace(t testing.TB, files map[string]string, extraEnv ...string) *cliWorkspace {
	t.Helper()
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "dev.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "%s/glossi/glossi" = %q
  }
  direct {}
}
`, providerHost(), providerBinaryDir(t)))
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return &cliWorkspace{dir: dir, env: append(env, extraEnv...)}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs terraform with args and returns what it printed; a failure fails the test.
func (w *cliWorkspace) run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := w.tryRun(t, args...)
	if err != nil {
		t.Fatalf("terraform %v: %v\n%s", args, err, out)
	}
	return out
}

func (w *cliWorkspace) tryRun(t testing.TB, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(terraformPath(t), args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// cliRequiredProviders declares the provider, which dev_overrides then points at the build.
const cliRequiredProviders = `
terraform {
  required_providers {
    glossi = { source = "glossi/glossi" }
  }
}
`

// newSandboxWorkspace is a workspace with config, the provider declared, and the provider's key
// and base URL in the environment, for a provider block that leaves them out.
func newSandboxWorkspace(t *testing.T, env *testEnv, config string) *cliWorkspace {
	t.Helper()
	return newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + config},
		"GLOSSI_API_KEY="+testAPIKey, "GLOSSI_BASE_URL="+env.baseURL)
}

// examplesDir holds the examples, relative to this package.
const examplesDir = "../../examples"

// readExample is the text of the example file name, relative to examplesDir.
func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newExampleWorkspace is a workspace with the example's configuration, the provider declared,
// and the provider configured only by GLOSSI_API_KEY and GLOSSI_BASE_URL, as a user would.
func newExampleWorkspace(t *testing.T, env *testEnv, config string) *cliWorkspace {
	t.Helper()
	files := map[string]string{"main.tf": config}
	if !strings.Contains(config, "required_providers") {
		files["versions.tf"] = cliRequiredProviders
	}
	return newCLIWorkspace(t, files, "GLOSSI_API_KEY="+testAPIKey, "GLOSSI_BASE_URL="+env.baseURL)
}

// writeConfig replaces the workspace's configuration with the provider requirement and hcl.
func (w *cliWorkspace) writeConfig(t *testing.T, hcl string) {
	t.Helper()
	writeFile(t, filepath.Join(w.dir, "main.tf"), cliRequiredProviders+hcl)
}

// withVars adds TF_VAR_ variables to the workspace's environment; a later one wins.
func (w *cliWorkspace) withVars(vars ...string) {
	for _, v := range vars {
		w.env = append(w.env, "TF_VAR_"+v)
	}
}

// tryRunWith runs terraform with extra environment variables, which win over the workspace's.
func (w *cliWorkspace) tryRunWith(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	saved := w.env
	defer func() { w.env = saved }()
	w.env = append(append([]string(nil), saved...), env...)
	return w.tryRun(t, args...)
}

// planSaved runs `terraform plan -out` and reads the saved plan with `terraform show -json`:
// what terraform printed (warnings included) and the change it plans to glossi_webhook.test
// (no actions when none). `terraform apply tfplan` then applies exactly that plan.
func (w *cliWorkspace) planSaved(t *testing.T) (string, plannedChange) {
	t.Helper()
	out := w.run(t, "plan", "-no-color", "-out=tfplan")
	var plan struct {
		ResourceChanges []struct {
			Address string
			Change  struct {
				Actions      []string
				AfterUnknown map[string]any `json:"after_unknown"`
			}
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.showJSON(t, "tfplan")), &plan); err != nil {
		t.Fatalf("terraform show -json printed no plan: %v", err)
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Address == resourceName {
			return out, plannedChange{Actions: rc.Change.Actions, AfterUnknown: rc.Change.AfterUnknown}
		}
	}
	return out, plannedChange{}
}

// planFileTexts reads the plan `terraform plan -out=tfplan` saved in the workspace: the text of
// each file in its zip, by name.
func planFileTexts(t *testing.T, w *cliWorkspace) map[string]string {
	t.Helper()
	zipped, err := zip.OpenReader(filepath.Join(w.dir, "tfplan"))
	if err != nil {
		t.Fatalf("the saved plan is not a zip file: %v", err)
	}
	defer zipped.Close()
	texts := map[string]string{}
	for _, f := range zipped.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		texts[f.Name] = string(b)
	}
	return texts
}

// plannedChange is what `terraform show -json` says a saved plan does to glossi_webhook.test.
type plannedChange struct {
	Actions      []string
	AfterUnknown map[string]any
}

// expectUpdate checks that the plan updates the webhook in place and leaves the named
// attributes unknown, without printing a value.
func (c plannedChange) expectUpdate(t *testing.T, unknown ...string) {
	t.Helper()
	if len(c.Actions) != 1 || c.Actions[0] != "update" {
		t.Errorf("the plan does %v to %s, want an update", c.Actions, resourceName)
	}
	for _, name := range unknown {
		if c.AfterUnknown[name] != true {
			t.Errorf("%s is known in the plan, want unknown", name)
		}
	}
}

// applySaved applies the plan planSaved saved.
func (w *cliWorkspace) applySaved(t *testing.T) {
	t.Helper()
	w.run(t, "apply", "-no-color", "tfplan")
	if err := os.Remove(filepath.Join(w.dir, "tfplan")); err != nil {
		t.Fatal(err)
	}
}

// showJSON runs `terraform show -json [args]` and returns its stdout.
func (w *cliWorkspace) showJSON(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(terraformPath(t), append([]string{"show", "-json"}, args...)...)
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.Output() // stdout only: the CLI may warn on stderr about dev_overrides
	if err != nil {
		t.Fatalf("terraform show -json %v: %v", args, err)
	}
	return string(out)
}

// expectNoChanges runs `terraform plan -detailed-exitcode`, which exits 2 when the plan is not
// empty. A data source inside a check block is always read again during apply: a plan with only
// such reads counts as empty.
func (w *cliWorkspace) expectNoChanges(t *testing.T, after string) {
	t.Helper()
	out, err := w.tryRun(t, "plan", "-detailed-exitcode", "-no-color")
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 2 && onlyCheckReads(out):
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 2:
		t.Errorf("the plan after %s is not empty:\n%s", after, out)
	default:
		t.Errorf("terraform plan after %s: %v\n%s", after, err, out)
	}
}

var planAction = regexp.MustCompile(`^  # ([^(\s]\S*) (.+)$`)

// onlyCheckReads reports whether a plan's only actions are reads of data sources scoped to
// check blocks, and it changes no output.
func onlyCheckReads(out string) bool {
	if !strings.Contains(out, "Plan: 0 to add, 0 to change, 0 to destroy.") || strings.Contains(out, "Changes to Outputs:") {
		return false
	}
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if m := planAction.FindStringSubmatch(line); m != nil {
			if m[2] != "will be read during apply" || i+1 == len(lines) ||
				!strings.Contains(lines[i+1], "(config will be reloaded to verify a check block)") {
				return false
			}
		}
	}
	return true
}

// expectOutput fails the test unless terraform printed phrases, in order.
func expectOutput(t *testing.T, out string, phrases ...string) {
	t.Helper()
	if !expectWords(phrases...).MatchString(out) {
		t.Errorf("terraform's output lacks %q:\n%s", phrases, out)
	}
}

// expectNoOutput fails the test if terraform printed any of phrases.
func expectNoOutput(t *testing.T, out string, phrases ...string) {
	t.Helper()
	for _, phrase := range phrases {
		if expectWords(phrase).MatchString(out) {
			t.Errorf("terraform's output holds %q:\n%s", phrase, out)
		}
	}
}

var changedAttribute = regexp.MustCompile(`^\s+[-+~] (\w+)\s+=`)

// changedAttributes lists the attributes of glossi_webhook.test that the plan terraform printed
// (by plan or apply) changes, in its order: the lines of its block marked +, - or ~.
func changedAttributes(out string) []string {
	var names []string
	inBlock := false
	for line := range strings.SplitSeq(out, "\n") {
		switch {
		case strings.HasPrefix(line, "  # "+resourceName+" "):
			inBlock = true
		case inBlock && line == "    }":
			return names
		case inBlock:
			if m := changedAttribute.FindStringSubmatch(line); m != nil {
				names = append(names, m[1])
			}
		}
	}
	return names
}

// stateResource is a resource of the workspace's state file.
type stateResource struct {
	Mode, Type, Name string
	Instances        []struct{ Attributes map[string]any }
}

// stateResources reads the resources of the workspace's state file, numbers as json.Number, as
// plugin-testing's state checks see them.
func (w *cliWorkspace) stateResources(t *testing.T) []stateResource {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct{ Resources []stateResource }
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&state); err != nil {
		t.Fatal("the state file is not JSON")
	}
	return state.Resources
}

// stateAttributes reads the attributes of the glossi_webhook in the workspace's state file.
func (w *cliWorkspace) stateAttributes(t *testing.T) map[string]any {
	t.Helper()
	return w.onlyInstance(t, "managed", "")
}

// dataSourceAttributes reads the attributes of data.glossi_webhook.test in the workspace's state
// file.
func (w *cliWorkspace) dataSourceAttributes(t *testing.T) map[string]any {
	t.Helper()
	return w.onlyInstance(t, "data", "test")
}

// onlyInstance is the attributes of the one instance of a glossi_webhook of mode, named name
// (any name if ""), in the workspace's state file.
func (w *cliWorkspace) onlyInstance(t *testing.T, mode, name string) map[string]any {
	t.Helper()
	for _, r := range w.stateResources(t) {
		if r.Mode == mode && r.Type == "glossi_webhook" && (name == "" || r.Name == name) && len(r.Instances) == 1 {
			return r.Instances[0].Attributes
		}
	}
	t.Fatalf("the state holds no %s glossi_webhook %s", mode, name)
	return nil
}

// stateAddresses lists the managed resources in the workspace's state file, as `terraform state
// list` would, without running terraform.
func (w *cliWorkspace) stateAddresses(t *testing.T) []string {
	t.Helper()
	var addresses []string
	for _, r := range w.stateResources(t) {
		if r.Mode == "managed" {
			addresses = append(addresses, r.Type+"."+r.Name)
		}
	}
	return addresses
}

// stateID is the id of glossi_webhook.test in the workspace's state.
func (w *cliWorkspace) stateID(t *testing.T) string {
	t.Helper()
	id, _ := w.stateAttributes(t)["id"].(string)
	return id
}

// stateSecret is the secret in the workspace's state, "" when none.
func (w *cliWorkspace) stateSecret(t *testing.T) string {
	t.Helper()
	secret, _ := w.stateAttributes(t)["secret"].(string)
	return secret
}

// expectSecretAttributesNull checks that the state holds no secret and none of its attributes.
func (w *cliWorkspace) expectSecretAttributesNull(t *testing.T) {
	t.Helper()
	attrs := w.stateAttributes(t)
	for _, name := range secretAttributes {
		if attrs[name] != nil {
			t.Errorf("%s is set in state, want null", name)
		}
	}
}

// expectSecretInSync checks that the state holds the sandbox's secret, at secretVersion, and its
// fingerprint, naming neither secret.
func (w *cliWorkspace) expectSecretInSync(t *testing.T, env *testEnv, secretVersion int) {
	t.Helper()
	attrs := w.stateAttributes(t)
	want := env.storedWebhook(t).Secret
	secret, _ := attrs["secret"].(string)
	switch {
	case want == "":
		t.Error("the sandbox's webhook has no secret")
	case secret != want:
		t.Error("the secret in state is not the one the API issued")
	case attrs["secret_fingerprint"] != glossiwebhook.Fingerprint(want):
		t.Error("secret_fingerprint is not the fingerprint of the sandbox's secret")
	}
	if attrs["secret_version"] != json.Number(strconv.Itoa(secretVersion)) {
		t.Errorf("secret_version is %v, want %d", attrs["secret_version"], secretVersion)
	}
}

// expectSecretFingerprint checks that the state's secret_fingerprint is secret's and its
// secret_version is secretVersion.
func (w *cliWorkspace) expectSecretFingerprint(t *testing.T, secret string, secretVersion int) {
	t.Helper()
	attrs := w.stateAttributes(t)
	if attrs["secret_fingerprint"] != glossiwebhook.Fingerprint(secret) || attrs["secret_version"] != json.Number(strconv.Itoa(secretVersion)) {
		t.Errorf("secret_fingerprint is not the secret's, or secret_version is %v, want %d", attrs["secret_version"], secretVersion)
	}
}

// expectSandboxSecret fails the test unless the workspace's state holds the sandbox's secret. It
// never prints either.
func (w *cliWorkspace) expectSandboxSecret(t *testing.T, env *testEnv, when string) {
	t.Helper()
	if got := w.stateSecret(t); got == "" || got != env.storedWebhook(t).Secret {
		t.Errorf("%s: the state's secret is not the sandbox's", when)
	}
}

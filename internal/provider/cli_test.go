package provider

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
)

// These helpers run the real provider binary under the real terraform CLI through a
// dev_overrides CLI configuration, the way a user with a local build would.

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

//go:build releaseproof

package release

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The install proof: the release make release-dry-run left in RELEASE_DIST, signed with the
// key in RELEASE_PUBLIC_KEY, served by a loopback HTTPS registry and installed by `init` of
// each CLI in RELEASE_PROOF_CLIS (paths of terraform or tofu binaries), the way users get it:
// no dev_overrides, an empty CLI configuration, an empty HOME. Then an apply against the
// sandbox runs the installed binary, and a registry serving a tampered checksum file makes
// init fail. make release-install-proof runs it (go test -tags releaseproof).
func TestInstallProof(t *testing.T) {
	checked, publicKey := releaseUnderProof(t)
	d := checked.Dist
	cert, caFile := selfSignedCertificate(t)
	good := startRegistry(t, cert, checked, publicKey, nil)
	tampered := startRegistry(t, cert, checked, publicKey, map[string][]byte{SumsName(d.Version): tamperedSums(t, d)})

	clis := strings.Fields(os.Getenv("RELEASE_PROOF_CLIS"))
	if len(clis) == 0 {
		t.Fatal("RELEASE_PROOF_CLIS names no terraform or tofu binary (make release-install-proof sets it)")
	}
	for _, path := range clis {
		c := newCLI(t, path, caFile)
		t.Run(c.name, func(t *testing.T) {
			t.Run("init installs the signed release and apply runs it", func(t *testing.T) {
				proveInstallAndApply(t, c, good)
			})
			t.Run("init refuses a tampered checksum file", func(t *testing.T) {
				proveTamperedRefused(t, c, tampered)
			})
		})
	}
}

// releaseUnderProof checks RELEASE_DIST as the release workflow does (Check): the proof
// installs only a release the verifier accepts.
func releaseUnderProof(t *testing.T) (Checked, []byte) {
	t.Helper()
	dir, keyFile := os.Getenv("RELEASE_DIST"), os.Getenv("RELEASE_PUBLIC_KEY")
	if dir == "" || keyFile == "" {
		t.Fatal("RELEASE_DIST and RELEASE_PUBLIC_KEY must name the release and its public key (make release-install-proof sets them)")
	}
	publicKey, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := Check(context.Background(), dir, publicKey, "")
	if err != nil {
		t.Fatalf("the release does not verify:\n%v", err)
	}
	return checked, publicKey
}

// tamperedSums is the release's checksum file with one hex digit of the manifest's line
// changed: every zip's own line still matches, so only the signature can catch it.
func tamperedSums(t *testing.T, d *Dist) []byte {
	t.Helper()
	sums := slices.Clone(d.Sums)
	hash, _ := d.SHA256(ManifestName(d.Version))
	i := strings.Index(string(sums), hash)
	if i < 0 {
		t.Fatal("the checksum file does not list the manifest")
	}
	if sums[i] == '0' { // one hex digit to another: the line keeps its form
		sums[i] = '1'
	} else {
		sums[i] = '0'
	}
	return sums
}

func proveInstallAndApply(t *testing.T, c cli, reg *registry) {
	sb := sandbox.New(sandbox.Options{})
	api := httptest.NewServer(sb)
	t.Cleanup(api.Close)
	t.Cleanup(func() { _ = sb.Close() })
	dir := c.workdir(t, reg, `
resource "glossi_webhook" "proof" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]
}
`)
	out, err := c.run(dir, nil, "init", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("%s init: %v\n%s", c.name, err, out)
	}
	installed := fmt.Sprintf("- Installed %s v%s (%s, key ID %s)", reg.source(), reg.dist.Version, c.signedAs, reg.keyID)
	if !strings.Contains(out, installed) {
		t.Errorf("init does not say %q:\n%s", installed, out)
	}
	t.Logf("init says %q", installed)
	checkLockFile(t, dir, reg)

	logFile := filepath.Join(t.TempDir(), "apply.log")
	env := []string{
		"GLOSSI_BASE_URL=" + api.URL + sandbox.BasePath, "GLOSSI_API_KEY=" + sandbox.DefaultAPIKey,
		"TF_LOG=DEBUG", "TF_LOG_PATH=" + logFile,
	}
	if out, err := c.run(dir, env, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%s apply: %v\n%s", c.name, err, out)
	}
	if _, ok := sb.Webhook(sandbox.DefaultAPIKey); !ok {
		t.Error("apply reported success, but the sandbox holds no webhook")
	}
	checkInstalledBinaryRan(t, dir, logFile, reg.dist)
	checkUserAgent(t, sb, reg.dist.Version)
}

// checkLockFile checks the lock file init wrote: a zh: hash for every zip and only hashes the
// signed checksum file lists, and an h1: hash of this machine's package.
func checkLockFile(t *testing.T, dir string, reg *registry) {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lock), fmt.Sprintf("provider %q", reg.source())) {
		t.Errorf("the lock file names no provider %s:\n%s", reg.source(), lock)
	}
	var zh []string
	for _, m := range regexp.MustCompile(`"zh:([0-9a-f]{64})"`).FindAllStringSubmatch(string(lock), -1) {
		zh = append(zh, m[1])
	}
	listed := make([]string, len(reg.dist.Listed))
	for i, c := range reg.dist.Listed {
		listed[i] = c.SHA256
	}
	for _, p := range Platforms {
		if h, _ := reg.dist.SHA256(ZipName(reg.dist.Version, p)); !slices.Contains(zh, h) {
			t.Errorf("the lock file has no zh:%s, the hash of the %s zip", h, p)
		}
	}
	for _, h := range zh {
		if !slices.Contains(listed, h) {
			t.Errorf("the lock file has zh:%s, which the checksum file does not list", h)
		}
	}
	h1, err := dirhash.HashZip(reg.dist.Path(ZipName(reg.dist.Version, HostPlatform())), dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lock), `"`+h1+`"`) {
		t.Errorf("the lock file has no %s, the hash of the %s package:\n%s", h1, HostPlatform(), lock)
	}
	manifestHash, _ := reg.dist.SHA256(ManifestName(reg.dist.Version))
	t.Logf("the lock file has %d zh: hashes, all listed in the checksum file (the %d zips'; the manifest's too: %t) and %s",
		len(zh), len(Platforms), slices.Contains(zh, manifestHash), h1)
}

// checkInstalledBinaryRan checks, in the CLI's debug log, that the plugin it started is the
// binary init installed under .terraform/providers, and that this file is the release's.
func checkInstalledBinaryRan(t *testing.T, dir, logFile string, d *Dist) {
	t.Helper()
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	binary := BinaryName(d.Version, HostPlatform())
	started := regexp.MustCompile(`starting plugin: path=(\S*/` + regexp.QuoteMeta(binary) + `)\s`).FindSubmatch(log)
	if started == nil {
		t.Fatalf("the apply log says of no plugin %s that it was started", binary)
	}
	path := string(started[1])
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if !strings.Contains(path, filepath.Join(".terraform", "providers")) {
		t.Errorf("the plugin started is %s, not one init installed under .terraform/providers", path)
	}
	installed, err := fileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	extracted, err := d.ExtractBinary(HostPlatform(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if released, _ := fileSHA256(extracted); installed != released {
		t.Errorf("the plugin started (%s, SHA-256 %s) is not the binary of the release's zip (SHA-256 %s)", path, installed, released)
	}
	t.Logf("apply started the plugin %s, SHA-256 %s", strings.TrimPrefix(path, dir+"/"), installed)
}

// checkUserAgent checks that the API calls came from a binary built as the release: its
// version, set at build time, is in the User-Agent (a development build says "dev").
func checkUserAgent(t *testing.T, sb *sandbox.Sandbox, version string) {
	t.Helper()
	want := "terraform-provider-glossi/" + version
	requests := sb.Requests()
	if len(requests) == 0 {
		t.Fatal("the provider sent the sandbox no request")
	}
	for _, r := range requests {
		if !strings.HasSuffix(r.UserAgent, want) {
			t.Errorf("%s %s came with User-Agent %q, want one ending in %q", r.Method, r.Path, r.UserAgent, want)
		}
	}
	t.Logf("the sandbox got %d requests, with User-Agent %q", len(requests), requests[0].UserAgent)
}

func proveTamperedRefused(t *testing.T, c cli, reg *registry) {
	dir := c.workdir(t, reg, "")
	out, err := c.run(dir, nil, "init", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("%s init accepted a release whose checksum file is not the one signed:\n%s", c.name, out)
	}
	if !c.signatureRefused.MatchString(out) {
		t.Errorf("init failed, but not on the signature (want %q):\n%s", c.signatureRefused, out)
	}
	t.Logf("init refused it: %q", c.signatureRefused.FindString(out))
	binary := BinaryName(reg.dist.Version, HostPlatform())
	_ = filepath.WalkDir(filepath.Join(dir, ".terraform"), func(path string, e os.DirEntry, _ error) error {
		if e != nil && e.Name() == binary {
			t.Errorf("init failed but left the provider installed: %s", path)
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(dir, ".terraform.lock.hcl")); !os.IsNotExist(err) {
		t.Errorf("init failed but wrote a lock file (%v)", err)
	}
}

// cli is a terraform or tofu binary, run as a user runs it from a clean machine.
type cli struct {
	path     string
	name     string // its version line: "Terraform v1.11.4", "OpenTofu v1.12.6"
	env      []string
	signedAs string // how init describes a package signed by a key the registry gave
	// signatureRefused matches init's error for a checksum file its signature does not sign.
	signatureRefused *regexp.Regexp
}

func newCLI(t *testing.T, path, caFile string) cli {
	t.Helper()
	home := t.TempDir()
	config := filepath.Join(home, "empty.tfrc")
	if err := os.WriteFile(config, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c := cli{path: path, env: cleanEnv(
		"HOME="+home,
		"TF_CLI_CONFIG_FILE="+config, // empty: no dev_overrides, no provider_installation, no plugin cache
		"SSL_CERT_FILE="+caFile,      // the registry's self-signed certificate is the only trusted root
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"OPENTOFU_ENFORCE_GPG_VALIDATION=true",
		"OPENTOFU_ENFORCE_GPG_EXPIRATION=true",
	)}
	out, err := c.run(home, nil, "version")
	if err != nil {
		t.Fatalf("%s version: %v\n%s", path, err, out)
	}
	c.name, _, _ = strings.Cut(out, "\n")
	switch {
	case strings.HasPrefix(c.name, "OpenTofu "):
		c.signedAs = "signed"
		c.signatureRefused = regexp.MustCompile(`not signed with a valid signing key`)
	case strings.HasPrefix(c.name, "Terraform "):
		c.signedAs = "self-signed"
		c.signatureRefused = regexp.MustCompile(`error checking signature: openpgp: invalid signature`)
	default:
		t.Fatalf("%s is neither Terraform nor OpenTofu: %q", path, c.name)
	}
	return c
}

// cleanEnv is this process's environment without the variables that steer Terraform or
// OpenTofu (TF_*, OPENTOFU_*, TOFU_*) or the trusted roots, plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "OPENTOFU_") || strings.HasPrefix(name, "TOFU_") ||
			strings.HasPrefix(name, "SSL_CERT_") || name == "HOME" || name == "XDG_CONFIG_HOME" || name == "XDG_CACHE_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// workdir writes a configuration that requires the provider from reg at the release's exact
// version, plus body.
func (c cli) workdir(t *testing.T, reg *registry, body string) string {
	t.Helper()
	dir := t.TempDir()
	config := fmt.Sprintf(`terraform {
  required_providers {
    glossi = {
      source  = %q
      version = "= %s"
    }
  }
}
%s`, reg.source(), reg.dist.Version, body)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs the CLI in dir with extra environment variables and returns its combined output.
func (c cli) run(dir string, extraEnv []string, args ...string) (string, error) {
	cmd := exec.Command(c.path, args...)
	cmd.Dir = dir
	cmd.Env = append(slices.Clone(c.env), extraEnv...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

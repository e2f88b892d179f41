//go:build terraformlatest

package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The glossi_webhook_probe action's examples as written, through the CLI (Terraform 1.14+;
// before_destroy and -invoke with -target, 1.16+), against the example receiver where they
// deliver the secret to it. Built with -tags terraformlatest: `make testacc-terraform-latest` runs
// them on Terraform CLI_TERRAFORM_LATEST.

const probeActionExamples = "actions/glossi_webhook_probe/"

// probePassed is what the action reports when the receiver passes.
const probePassed = "accepted the signed probe and refused the forged one"

var (
	receiverOnce sync.Once
	receiverBin  string
	errReceiver  error
)

// exampleReceiver is examples/receiver, built once per test run, serving on a free loopback port
// and reading its secrets from a folder of its own (--secret-dir), where the examples deliver
// them.
type exampleReceiver struct {
	url       string
	secretDir string
	logPath   string
}

func startExampleReceiver(t *testing.T) *exampleReceiver {
	t.Helper()
	receiverOnce.Do(func() {
		receiverBin = filepath.Join(providerBinaryDir(t), "receiver")
		cmd := exec.Command("go", "build", "-o", receiverBin, "github.com/glossi/terraform-provider-glossi/examples/receiver")
		if out, err := cmd.CombinedOutput(); err != nil {
			errReceiver = fmt.Errorf("go build examples/receiver: %v\n%s", err, out)
		}
	})
	if errReceiver != nil {
		t.Fatal(errReceiver)
	}
	r := &exampleReceiver{secretDir: t.TempDir(), logPath: filepath.Join(t.TempDir(), "receiver.log")}
	// The receiver needs a secret to start: a placeholder until Terraform delivers the webhook's.
	r.setSecret(t, "whsec_placeholder_until_terraform_delivers")
	// It looks at its files every 200 ms here, not every second, so that the examples' wait for
	// it (3 s) holds on a loaded machine.
	// Its log is a file, not a pipe, so that a line is there once the receiver has answered.
	logFile, err := os.Create(r.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(receiverBin, "--addr", "127.0.0.1:0", "--secret-dir", r.secretDir, "--reload-interval", "200ms")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); r.url == ""; time.Sleep(50 * time.Millisecond) {
		if first, _, ok := strings.Cut(r.log(), "\n"); ok {
			r.url = first
		} else if time.Now().After(deadline) {
			t.Fatalf("the example receiver printed no URL in 30 s:\n%s", r.log())
		}
	}
	return r
}

// log is what the receiver has printed.
func (r *exampleReceiver) log() string {
	b, _ := os.ReadFile(r.logPath)
	return string(b)
}

// setSecret writes the receiver's secret file, as the examples' delivery does.
func (r *exampleReceiver) setSecret(t *testing.T, secret string) {
	t.Helper()
	writeFile(t, filepath.Join(r.secretDir, "secret"), secret+"\n")
}

// file is what the receiver's secret file name holds, without its newline.
func (r *exampleReceiver) file(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.secretDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// refused counts the deliveries the receiver refused: one forged delivery per probe, and the
// signed one too when the receiver does not have the secret.
func (r *exampleReceiver) refused() int {
	return strings.Count(r.log(), "rejected delivery")
}

// waitReloaded waits until the receiver has reloaded its secrets n times.
func (r *exampleReceiver) waitReloaded(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); strings.Count(r.log(), "secrets reloaded") < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the receiver did not reload its secrets %d times in 10 s:\n%s", n, r.log())
		}
	}
}

// action.tf as written, with the example receiver: the probe runs once the secret is delivered,
// and passes; -invoke runs it alone; a new URL (with the new secret the sandbox gives on
// update) delivers again and probes again, the previous secret delivered too; a receiver that
// lost the secret fails -invoke, naming why. No secret is ever printed.
func TestExamples_probeAction(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	rcv := startExampleReceiver(t)
	ws := newExampleWorkspace(t, env, readExample(t, probeActionExamples+"action.tf"))
	ws.withVars("receiver_url="+rcv.url, "receiver_secret_dir="+rcv.secretDir)

	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	if !strings.Contains(out, probePassed) || rcv.refused() != 1 {
		t.Fatalf("the probe after the create: want it passed, the forged delivery refused (%d refused):\n%s", rcv.refused(), out)
	}
	first := env.storedWebhook(t).Secret
	if got := rcv.file(t, "secret"); got != first {
		t.Error("the receiver's secret file does not hold the webhook's secret")
	}

	out += ws.run(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.main")
	if rcv.refused() != 2 {
		t.Errorf("-invoke: the receiver refused %d deliveries in all, want 2 (the forged ones)", rcv.refused())
	}

	ws.withVars("receiver_url=" + rcv.url + "?moved=1")
	out += ws.run(t, "apply", "-auto-approve", "-no-color")
	second := env.storedWebhook(t).Secret
	if second == first || rcv.file(t, "secret") != second || rcv.file(t, "previous_secret") != first {
		t.Error("after the update the receiver's files do not hold the new secret and the previous one")
	}
	if rcv.refused() != 3 {
		t.Errorf("the probe after the update: the receiver refused %d deliveries in all, want 3", rcv.refused())
	}

	reloads := strings.Count(rcv.log(), "secrets reloaded")
	rcv.setSecret(t, "whsec_not_the_webhooks_secret")
	rcv.waitReloaded(t, reloads+1)
	failed, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.main")
	if err == nil || !expectWords("Glossi Webhook Receiver Did Not Accept the Signed Probe", "status 401").MatchString(failed) {
		t.Errorf("-invoke against a receiver with another secret: err = %v, want the refused-signature error:\n%s", err, failed)
	}
	expectNoSecret(t, "terraform's output", out+failed, first, second)
}

// before-destroy.tf as written: a new version of the receiver is created, and the old one is
// destroyed only if the URL passes the probe. After a refused probe, the next apply destroys the
// left-over old version without probing (Terraform 1.16.0, as the guide says). A destroy probe's
// config must be known at plan, which a change of the webhook in the same apply is not.
func TestExamples_probeActionBeforeDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	rcv := newProbeReceiver(t, env, testAPIKey)
	ws := newExampleWorkspace(t, env, readExample(t, probeActionExamples+"before-destroy.tf"))
	ws.withVars("receiver_url="+rcv.URL, "receiver_version=v1")
	ws.run(t, "apply", "-auto-approve", "-no-color")
	if n := rcv.deliveries.Load(); n != 0 {
		t.Errorf("the first deployment probed the receiver %d times, want none", n)
	}

	ws.withVars("receiver_version=v2")
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	if !expectWords(probePassed, "Destruction complete").MatchString(out) || rcv.deliveries.Load() != 2 {
		t.Errorf("a new version: want the URL probed, then the old version destroyed:\n%s", out)
	}

	rcv.refusing.Store(true)
	ws.withVars("receiver_version=v3")
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil || !strings.Contains(out, "Error: Glossi Webhook Receiver Did Not Accept the Signed Probe") ||
		strings.Contains(out, "Destruction complete") {
		t.Errorf("a refused probe: err = %v, want the apply to fail before the old version is destroyed:\n%s", err, out)
	}

	received := rcv.deliveries.Load()
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	if !expectWords("(deposed object", "Destruction complete").MatchString(out) || rcv.deliveries.Load() != received {
		t.Errorf("the next apply: want the left-over old version destroyed, unprobed:\n%s", out)
	}

	ws.withVars("receiver_version=v4", "receiver_url="+rcv.URL+"/moved")
	out, err = ws.tryRun(t, "plan", "-no-color")
	if err == nil || !strings.Contains(out, "Action configuration must be known to plan a destroy action") {
		t.Errorf("a new version and a new URL in one plan: err = %v, want Terraform's unknown-config error:\n%s", err, out)
	}
}

// invoke-target.tf as written, for the staging and brand accounts: each delivery probes its own
// receiver through caller; -invoke probes both, and with -target only the targeted one.
func TestExamples_probeActionInvokeTarget(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	staging, brand := startExampleReceiver(t), startExampleReceiver(t)
	ws := newCLIWorkspace(t, map[string]string{"main.tf": cliRequiredProviders + env.accountsProviderBlock() +
		readExample(t, probeActionExamples+"invoke-target.tf")})
	ws.withVars(fmt.Sprintf(`receivers={"staging":{"url":%q,"secret_dir":%q},"brand":{"url":%q,"secret_dir":%q}}`,
		staging.url, staging.secretDir, brand.url, brand.secretDir))
	refused := func() string { return fmt.Sprintf("staging %d, brand %d", staging.refused(), brand.refused()) }

	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	if got := refused(); got != "staging 1, brand 1" || strings.Count(out, probePassed) != 2 {
		t.Fatalf("after the apply the receivers refused %s forged deliveries, want 1 each:\n%s", got, out)
	}
	out += ws.run(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.receiver")
	if got := refused(); got != "staging 2, brand 2" {
		t.Errorf("-invoke: the receivers refused %s forged deliveries, want 2 each", got)
	}
	out += ws.run(t, "apply", "-auto-approve", "-no-color", "-invoke=action.glossi_webhook_probe.receiver",
		`-target=terraform_data.receiver_secret["staging"]`)
	if got := refused(); got != "staging 3, brand 2" {
		t.Errorf("-invoke with -target: the receivers refused %s forged deliveries, want only staging's probed", got)
	}
	expectNoSecret(t, "terraform's output", out, env.storedWebhookOf(t, stagingKey).Secret, env.storedWebhookOf(t, brandKey).Secret)
}

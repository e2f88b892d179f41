package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// What an acceptance test costs, in terraform runs (terraform-plugin-testing 1.16): a TestCase
// runs `terraform version` twice, init once, and at its end show and destroy; a Config step runs
// plan, apply and two more plans (without and with refresh, each failing the step unless empty),
// plus a show per plan read and a show for ConfigStateChecks; a PlanOnly step runs the two plans
// and their shows; an import step in a new working directory adds version and init. So: steps
// that share a setup share a TestCase, a step never re-plans what the step before it already
// proved empty, and a plan that only has to be empty is a PlanOnly step.

// testCase is a TestCase of steps against the sandbox whose destroy must leave the account
// without a webhook.
func (e *testEnv) testCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             e.checkDestroyed,
		Steps:                    steps,
	}
}

// test runs testCase(steps...).
func (e *testEnv) test(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.UnitTest(t, e.testCase(steps...))
}

// testCaseKeeping is a TestCase without the destroy check, for tests whose account ends with a
// webhook Terraform does not manage (another writer's, or the one a data source reads), which
// the test checks itself, or with nothing Terraform created.
func testCaseKeeping(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps}
}

// planOnlyStep plans config against the current state, without and with refresh, and fails
// unless both plans are empty. Only where the step before did not already prove it: after an
// import, an error, or a change made outside Terraform.
func planOnlyStep(config string) resource.TestStep {
	return resource.TestStep{Config: config, PlanOnly: true}
}

// writeConfig replaces the workspace's configuration with the provider requirement and hcl.
func (w *cliWorkspace) writeConfig(t *testing.T, hcl string) {
	t.Helper()
	writeFile(t, filepath.Join(w.dir, "main.tf"), cliRequiredProviders+hcl)
}

// plannedChange is what `terraform show -json` says a saved plan does to glossi_webhook.test.
type plannedChange struct {
	Actions      []string
	AfterUnknown map[string]any
}

// planSaved runs `terraform plan -out` and reads the saved plan with `terraform show -json`:
// what terraform printed (warnings included) and the change it plans to glossi_webhook.test
// (no actions when none). `terraform apply tfplan` then applies exactly that plan.
func (w *cliWorkspace) planSaved(t *testing.T) (string, plannedChange) {
	t.Helper()
	out := w.run(t, "plan", "-no-color", "-out=tfplan")
	cmd := exec.Command(terraformPath(t), "show", "-json", "tfplan")
	cmd.Dir, cmd.Env = w.dir, w.env
	raw, err := cmd.Output() // stdout only: the CLI may warn on stderr about dev_overrides
	if err != nil {
		t.Fatalf("terraform show -json tfplan: %v", err)
	}
	var plan struct {
		ResourceChanges []struct {
			Address string
			Change  struct {
				Actions      []string
				AfterUnknown map[string]any `json:"after_unknown"`
			}
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatalf("terraform show -json printed no plan: %v", err)
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Address == resourceName {
			return out, plannedChange{Actions: rc.Change.Actions, AfterUnknown: rc.Change.AfterUnknown}
		}
	}
	return out, plannedChange{}
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

// expectSecretInSync checks that the state holds the sandbox's secret, at version, and its
// fingerprint, naming neither secret.
func (w *cliWorkspace) expectSecretInSync(t *testing.T, env *testEnv, version int) {
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
	if attrs["secret_version"] != float64(version) {
		t.Errorf("secret_version is %v, want %d", attrs["secret_version"], version)
	}
}

// stateID is the id of glossi_webhook.test in the workspace's state.
func (w *cliWorkspace) stateID(t *testing.T) string {
	t.Helper()
	id, _ := w.stateAttributes(t)["id"].(string)
	return id
}

// applySaved applies the plan planSaved saved.
func (w *cliWorkspace) applySaved(t *testing.T) {
	t.Helper()
	w.run(t, "apply", "-no-color", "tfplan")
	if err := os.Remove(filepath.Join(w.dir, "tfplan")); err != nil {
		t.Fatal(err)
	}
}

// expectedErrors expects steps to fail, in order, each with an error matching its pattern and
// passed by reject. plugin-testing calls a TestCase's ErrorCheck only for steps without
// ExpectError, and ExpectError cannot say what an error must not contain: so these steps set no
// ExpectError, their TestCase's ErrorCheck is check, and the test calls expectAllSeen after.
type expectedErrors struct {
	patterns []*regexp.Regexp
	reject   func(msg string) error
	seen     int
}

func (e *expectedErrors) check(err error) error {
	if err == nil || e.seen == len(e.patterns) || !e.patterns[e.seen].MatchString(err.Error()) {
		return err
	}
	if rejected := e.reject(err.Error()); rejected != nil {
		return rejected
	}
	e.seen++
	return nil
}

func (e *expectedErrors) expectAllSeen(t *testing.T) {
	t.Helper()
	if e.seen != len(e.patterns) {
		t.Errorf("%d of the %d expected errors happened", e.seen, len(e.patterns))
	}
}

// stateAddresses lists the managed resources in the workspace's state file, as `terraform state
// list` would, without running terraform.
func (w *cliWorkspace) stateAddresses(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct{ Mode, Type, Name string }
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal("the state file is not JSON")
	}
	var addresses []string
	for _, r := range state.Resources {
		if r.Mode == "managed" {
			addresses = append(addresses, r.Type+"."+r.Name)
		}
	}
	return addresses
}

// refreshedState runs state checks against the state a plan refreshed (its prior state), so a
// step's refreshing plan shows what a refresh keeps without another step to apply and read it.
type refreshedState []statecheck.StateCheck

func (checks refreshedState) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil {
		resp.Error = errors.New("the plan has no prior state")
		return
	}
	for _, check := range checks {
		var r statecheck.CheckStateResponse
		check.CheckState(ctx, statecheck.CheckStateRequest{State: req.Plan.PriorState}, &r)
		resp.Error = errors.Join(resp.Error, r.Error)
	}
}

// numberIs is knownvalue.Int64Exact for a value decoded as float64, as plugin-testing decodes a
// plan's prior state, or as json.Number.
type numberIs int64

func (want numberIs) CheckValue(got any) error {
	switch v := got.(type) {
	case float64:
		if v == float64(want) {
			return nil
		}
	case json.Number:
		if v.String() == strconv.FormatInt(int64(want), 10) {
			return nil
		}
	}
	return fmt.Errorf("got %v, want %d", got, int64(want))
}

func (want numberIs) String() string { return strconv.FormatInt(int64(want), 10) }

package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The harness of the tests that run the provider in process under terraform-plugin-testing
// (resource.UnitTest): TestCases against the sandbox, and the plan and state checks they share.

// What an acceptance test costs, in terraform runs (terraform-plugin-testing 1.16): a TestCase
// runs `terraform version` twice, init once, and at its end show and destroy; a Config step runs
// plan, apply and two more plans (without and with refresh, each failing the step unless empty),
// plus a show per plan read and a show for ConfigStateChecks; a PlanOnly step runs the two plans
// and their shows; an import step in a new working directory adds version and init. So: steps
// that share a setup share a TestCase, a step never re-plans what the step before it already
// proved empty, and a plan that only has to be empty is a PlanOnly step.

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"glossi": providerserver.NewProtocol6WithError(New("test")()),
}

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

func callsEqual(got, want map[string]int) bool {
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if got[m] != want[m] {
			return false
		}
	}
	return len(got) <= 3
}

// expectCalls is both a plan check and a state check: the sandbox received exactly want since
// the last reset. It then resets the log, so the next check counts only what follows.
type expectCalls struct {
	env  *testEnv
	what string
	want map[string]int
}

var (
	_ plancheck.PlanCheck   = expectCalls{}
	_ statecheck.StateCheck = expectCalls{}
)

func (c expectCalls) check() error {
	defer c.env.sandbox.ResetRequests()
	if got := c.env.apiCalls(); !callsEqual(got, c.want) {
		return fmt.Errorf("%s: want %s to the API, got %s", c.what, formatCalls(c.want), formatCalls(got))
	}
	return nil
}

// expect fails the test unless the check passes: for a test that calls the resource in process.
func (c expectCalls) expect(t *testing.T) {
	t.Helper()
	if err := c.check(); err != nil {
		t.Error(err)
	}
}

func (c expectCalls) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check()
}

func (c expectCalls) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.check()
}

// resetCalls empties the sandbox's request log, as a plan check (before apply).
type resetCalls struct{ env *testEnv }

func (c resetCalls) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	c.env.sandbox.ResetRequests()
}

func calls(get, put, del int) map[string]int {
	return map[string]int{"GET": get, "PUT": put, "DELETE": del}
}

type stateCheckFunc func() error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

type planCheckFunc func() error

func (f planCheckFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// stateAttributesFunc is a state check that receives the attributes of resourceName.
type stateAttributesFunc func(attrs map[string]any) error

func (f stateAttributesFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = errors.New("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == resourceName {
			resp.Error = f(r.AttributeValues)
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in state", resourceName)
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

// sandboxURL checks that the account of key has a webhook at url.
func (e *testEnv) sandboxURL(key, url string) statecheck.StateCheck {
	return stateCheckFunc(func() error {
		if w, ok := e.sandbox.Webhook(key); !ok || w.URL != url {
			return fmt.Errorf("%s has webhook %q (found %t), want one at %s", accountOfKey(key), w.URL, ok, url)
		}
		return nil
	})
}

// secretMatchesSandbox checks a secret in state against the sandbox's without printing either.
func (e *testEnv) secretMatchesSandbox() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		w, ok := e.sandbox.Webhook(testAPIKey)
		switch {
		case !ok:
			return errors.New("the sandbox has no webhook to compare the secret with")
		case w.Secret == "":
			return errors.New("the sandbox's webhook has no secret")
		case got != w.Secret:
			return errors.New("the secret in state is not the one the API issued")
		}
		return nil
	})
}

// fingerprintMatchesSandbox checks secret_fingerprint against the sandbox's secret.
func (e *testEnv) fingerprintMatchesSandbox() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		w, ok := e.sandbox.Webhook(testAPIKey)
		if !ok || got != glossiwebhook.Fingerprint(w.Secret) {
			return errors.New("secret_fingerprint is not the fingerprint of the sandbox's secret")
		}
		return nil
	})
}

// expectSecretInSync checks that state holds the sandbox's secret, at version, and its fingerprint.
func (e *testEnv) expectSecretInSync(version int64) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), e.secretMatchesSandbox()),
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_fingerprint"), e.fingerprintMatchesSandbox()),
		statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_version"), knownvalue.Int64Exact(version)),
	}
}

// secretRecorder remembers a secret from state so that a later step can say whether it changed.
type secretRecorder struct{ value string }

func (r *secretRecorder) record() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		r.value = got
		return nil
	})
}

func (r *secretRecorder) expectChanged(changed bool) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if (got != r.value) != changed {
			return fmt.Errorf("secret changed = %t, want %t", got != r.value, changed)
		}
		return nil
	})
}

func expectSecretPlanned() []plancheck.PlanCheck {
	return []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
		expectUnknownQuietly(secretAttributes),
	}
}

// expectUnknownQuietly checks that the plan leaves names unknown, and unlike
// plancheck.ExpectUnknownValue never prints a value (they are secrets).
type expectUnknownQuietly []string

func (names expectUnknownQuietly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != resourceName {
			continue
		}
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		for _, name := range names {
			if unknown[name] != true {
				resp.Error = errors.Join(resp.Error, fmt.Errorf("%s: %s is known in the plan, want unknown", resourceName, name))
			}
		}
		return
	}
	resp.Error = fmt.Errorf("the plan does not change %s", resourceName)
}

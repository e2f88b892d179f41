package provider

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The eight cases of issue 15, each through the terraform CLI against the sandbox, each ending
// with the state's secret equal to the sandbox's or with the diagnostic that says what to do.

// Each case's last apply is followed by plugin-testing's plans, which fail the step unless
// empty: the case ends with nothing left to do.

// Case 1: the update's first attempt was applied and answered 502, its retry refused with 409.
// The whole call is uncertain, so the secret is marked stale and the next apply heals it.
func TestAccWebhookResource_case1RefusedRetryAfterAppliedAttempt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	env.test(t,
		resource.TestStep{Config: env.config(basicWebhook)},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Count: 1}) // the first PUT goes through...
				env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, AnswerStatus: 502})
				env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Count: 1, Status: 409, Message: "conflict"})
			},
			Config: env.config(urlOnlyChange),
			ExpectError: expectWords("Glossi Webhook Update Outcome Unknown", "may now be stale",
				"409 Conflict", "attempt 1 (502 Bad Gateway) got no definite answer"),
		},
		resource.TestStep{
			PreConfig:         env.sandbox.ClearFaults,
			Config:            env.config(urlOnlyChange),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
			ConfigStateChecks: env.expectSecretInSync(2), // the second secret stored, the third the API issued
		},
	)
}

// Case 2: after "Update Outcome Unknown", the healing update is answered without a secret: the
// secret stays "may be stale" and the next apply, answered with one, stores it.
func TestAccWebhookResource_case2UpdateWithoutSecretStaysStale(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	env.test(t,
		resource.TestStep{Config: env.impatientConfig(basicWebhook)},
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      env.impatientConfig(changedWebhook),
			ExpectError: expectWords("Glossi Webhook Update Outcome Unknown"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
			},
			Config:             env.impatientConfig(changedWebhook),
			ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
			ExpectNonEmptyPlan: true, // still "may be stale": the next plan updates again
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secretDiffersFromSandbox(env)),
			},
		},
		resource.TestStep{
			Config:            env.impatientConfig(changedWebhook),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
			ConfigStateChecks: env.expectSecretInSync(2),
		},
	)
}

// secretDiffersFromSandbox checks that the state's secret is not the sandbox's: the state is
// stale, which is why the lifecycle must not call it in sync.
func secretDiffersFromSandbox(env *testEnv) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if w, ok := env.sandbox.Webhook(testAPIKey); ok && w.Secret == got {
			return errors.New("the state's secret is the sandbox's: this step proves nothing")
		}
		return nil
	})
}

// Case 3: a lost create on an API that normalizes the URL: the next refresh recognizes the
// webhook by equivalent settings, and the next apply replaces it to store a secret.
func TestAccWebhookResource_case3LostCreateOnNormalizingAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{NormalizeURL: true})
	config := env.impatientConfig(strings.Replace(basicWebhook, "https://hooks.example.com/glossi", "https://Hooks.Example.com", 1))
	env.test(t,
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      config,
			ExpectError: expectWords("Glossi Webhook Create Outcome Unknown"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				if got := env.storedWebhook(t).URL; got != "https://hooks.example.com/" {
					t.Errorf("the sandbox stored %q: it did not normalize the URL", got)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: env.expectSecretInSync(1),
		},
	)
}

// Case 8: two configurations create the same account's webhook at once, and the first PUT is
// applied late, after the second create finished. Both creates succeed: the API has no
// conditional create, so neither can tell (what remains). The second's next refresh finds the
// settings changed, says its secret may be stale and plans an update that stores the current one.
func TestWebhookResource_case8ConcurrentCreatesLateApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	first := newSandboxWorkspace(t, env, strings.Replace(basicWebhook, "/glossi", "/first", 1))
	second := newSandboxWorkspace(t, env, strings.Replace(basicWebhook, "/glossi", "/second", 1))
	applyWithCreateLandingLate(t, env, first, second)
	if second.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the late PUT did not rotate the secret: this test proves nothing")
	}

	out := second.run(t, "plan", "-no-color")
	expectOutput(t, out, "1 to change")
	expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale", "changed outside Terraform")
	second.run(t, "apply", "-auto-approve", "-no-color")
	if second.stateSecret(t) != env.storedWebhook(t).Secret {
		t.Error("after the second apply, its state's secret is not the sandbox's")
	}
}

// applyWithCreateLandingLate applies late and, while the sandbox holds late's create PUT, applies
// early; then it releases the PUT, so that late's create lands after early's finished. Both
// applies must succeed: the API has no conditional create, so neither can tell.
func applyWithCreateLandingLate(t *testing.T, env *testEnv, late, early *cliWorkspace) {
	t.Helper()
	release, held := make(chan struct{}), make(chan struct{})
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, ApplyWhen: release, OnHold: func() { close(held) }})

	var wg sync.WaitGroup
	var lateOut string
	var lateErr error
	wg.Go(func() { lateOut, lateErr = late.tryRun(t, "apply", "-auto-approve", "-no-color") })
	select {
	case <-held: // late's PUT reached the API, which applies it only once released
	case <-time.After(2 * time.Minute):
		close(release)
		t.Fatal("the late create's PUT never reached the sandbox")
	}
	earlyOut, earlyErr := early.tryRun(t, "apply", "-auto-approve", "-no-color")
	close(release)
	wg.Wait()
	if earlyErr != nil {
		t.Fatalf("the early create failed:\n%s", earlyOut)
	}
	if lateErr != nil {
		t.Fatalf("the late create failed:\n%s", lateOut)
	}
}

package provider

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// secretAttributes hold the secret or follow from it; import cannot know them, as GET never
// returns the secret.
var secretAttributes = []string{"secret", "secret_version", "secret_fingerprint", "previous_secret", "secret_rotated_at"}

// rotatedWebhook is basicWebhook with rotate_secret_triggers set to n.
func rotatedWebhook(n int) string {
	return fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url                    = "https://hooks.example.com/glossi"
  events                 = ["model.processed", "render.complete", "job.failed"]
  description            = "acceptance test"
  rotate_secret_triggers = { rotation = "%d" }
}
`, n)
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

// recentTime checks an RFC 3339 time within the last minute.
func recentTime() knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		at, err := time.Parse(time.RFC3339, got)
		if err != nil {
			return fmt.Errorf("not RFC 3339: %w", err)
		}
		if age := time.Since(at); age < -time.Second || age > time.Minute {
			return fmt.Errorf("%s is not the time of this apply", got)
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

// secret_version, secret_fingerprint, previous_secret and secret_rotated_at across create,
// rotation, import and refresh.
func TestAccWebhookResource_secretLifecycleAttributes(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	var first secretRecorder
	env.test(t,
		resource.TestStep{
			Config: env.config(rotatedWebhook(1)),
			ConfigStateChecks: append(env.expectSecretInSync(1),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), first.record()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.Null()),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_rotated_at"), knownvalue.Null()),
				statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("previous_secret")),
			),
		},
		resource.TestStep{
			Config: env.config(rotatedWebhook(2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: expectSecretPlanned(),
				// A refresh keeps them: the plan after the apply that refreshes (and must be empty).
				PostApplyPostRefresh: []plancheck.PlanCheck{refreshedState{
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_fingerprint"), env.fingerprintMatchesSandbox()),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_version"), numberIs(2)),
				}},
			},
			ConfigStateChecks: append(env.expectSecretInSync(2),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), first.expectChanged(true)),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.StringFunc(func(got string) error {
					if got != first.value {
						return errors.New("previous_secret is not the secret that was replaced")
					}
					return nil
				})),
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret_rotated_at"), recentTime()),
			),
		},
		resource.TestStep{
			ResourceName:            resourceName,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: append(secretAttributes, "rotate_secret_triggers"), // not in the API either
		},
		planOnlyStep(env.config(rotatedWebhook(2))),
	)
}

// After import: TestWebhookResource_importThenGetSecret.

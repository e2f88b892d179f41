package provider

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

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

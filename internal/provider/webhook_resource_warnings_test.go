package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Warnings never fail a run, so plugin-testing cannot see them: these tests read what the real
// terraform CLI prints.

func TestWebhookResource_planWarnings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, `
resource "glossi_webhook" "test" {
  url    = "http://deploy:hunter2-9c1d@localhost:3000/hooks?token=tok-4b7e0a&team=a"
  events = ["model.processed", "model.archived", "asset.added"]
}
`)
	out := ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "Warning: Webhook URL Uses Plain HTTP", "use an https URL in production")
	expectOutput(t, out, "Warning: Webhook URL Contains Credentials", "query parameter token, user info")
	expectOutput(t, out, "Warning: Unknown Glossi Event", `"asset.added" and "model.archived" are not among the events`)
	for _, event := range knownEvents {
		expectOutput(t, out, "Unknown Glossi Event", event)
	}
	expectOutput(t, out, "1 to add")
	// Each warning once: Terraform validates twice per plan, so validator warnings doubled.
	for _, summary := range []string{"Webhook URL Uses Plain HTTP", "Webhook URL Contains Credentials", "Unknown Glossi Event"} {
		if n := strings.Count(out, "Warning: "+summary); n != 1 {
			t.Errorf("%q printed %d times, want once", summary, n)
		}
	}
	if strings.Contains(out, "similar warning") {
		t.Errorf("a warning is repeated:\n%s", out)
	}
}

// An existing webhook is imported: the import warns that the secret is null, the state has no
// secret nor any of its attributes, and the next plan is empty. rotate_secret_triggers then gets
// the first secret: version 1, and not a rotation (no previous_secret, no secret_rotated_at).
func TestWebhookResource_importThenGetSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"model.processed", "render.complete", "job.failed"},
		Enabled: true, Description: ptr("acceptance test"),
	})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	out := ws.run(t, "import", "-no-color", resourceName, existing.ID)
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Available After Import", "set rotate_secret_triggers")
	if id := ws.stateID(t); id != existing.ID {
		t.Errorf("imported id %q, want %q", id, existing.ID)
	}
	ws.expectSecretAttributesNull(t)
	ws.expectNoChanges(t, "the import")

	ws.writeConfig(t, rotatedWebhook(1))
	_, change := ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	if id := ws.stateID(t); id != existing.ID {
		t.Errorf("the id changed from %q to %q when the secret was fetched", existing.ID, id)
	}
	ws.expectSecretInSync(t, env, 1)
	if attrs := ws.stateAttributes(t); attrs["previous_secret"] != nil || attrs["secret_rotated_at"] != nil {
		t.Errorf("previous_secret set %t, secret_rotated_at %v: the first secret is not a rotation",
			attrs["previous_secret"] != nil, attrs["secret_rotated_at"])
	}
	ws.expectNoChanges(t, "fetching the first secret")
}

// Someone deletes the webhook and creates the same one again: new id, new secret. The plan warns,
// naming both ids and neither secret, and updates the webhook with the secret unknown; the apply
// stores the new webhook's id and secret, and the next plan is empty.
func TestWebhookResource_replacedOutside(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	old := env.storedWebhook(t)
	env.sandbox.DeleteWebhook(testAPIKey)
	replacement := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: old.URL, Events: old.Events, Enabled: old.Enabled, Description: old.Description,
	})

	out, change := ws.planSaved(t)
	expectOutput(t, out, "Warning: Glossi Webhook Replaced Outside Terraform", fmt.Sprintf("now has id %q instead of %q", replacement.ID, old.ID))
	expectOutput(t, out, "1 to change")
	if strings.Contains(out, replacement.Secret) || strings.Contains(out, old.Secret) {
		t.Error("the plan shows a secret")
	}
	change.expectUpdate(t, "secret")
	ws.applySaved(t)
	if id := ws.stateID(t); id == old.ID || id != replacement.ID {
		t.Errorf("state id %q: want the new webhook's id", id)
	}
	if ws.stateSecret(t) != env.storedWebhook(t).Secret {
		t.Error("the secret in state is not the new webhook's")
	}
	ws.expectNoChanges(t, "adopting the replacement")
}

// The update was applied (and rotated the secret) but its answers came too late: the apply fails
// saying so, and the next plan says why it updates the webhook although the refreshed settings
// match, with every secret attribute unknown. Its apply stores the secret the API has, and the
// lost secret as previous_secret; the next plan is empty.
func TestWebhookResource_lostUpdateAnswer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	ws := newSandboxWorkspace(t, env, impatientProvider+basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	first := ws.stateSecret(t)
	ws.writeConfig(t, impatientProvider+changedWebhook)
	env.sandbox.InjectPutFault(lateAnswer)
	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the apply whose answers were lost succeeded:\n%s", out)
	}
	expectOutput(t, out, "Glossi Webhook Update Outcome Unknown", "secret in the Terraform state may now be stale")
	env.sandbox.ClearFaults()
	if env.storedWebhook(t).Secret == first {
		t.Error("the sandbox did not apply the update whose answer was lost")
	}

	out, change := ws.planSaved(t)
	expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale", "an update's outcome was unknown")
	expectOutput(t, out, "1 to change")
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	ws.expectSecretInSync(t, env, 2)
	if previous, _ := ws.stateAttributes(t)["previous_secret"].(string); first == "" || previous != first {
		t.Error("previous_secret is not the secret stored before the lost update")
	}
	ws.expectNoChanges(t, "healing the lost update")
}

// A create or update answered without a secret says what the state holds and how to get one:
//   - the create stores no secret nor any of its attributes, and the next plan is empty;
//   - an update of that webhook answered without a secret warns too;
//   - rotate_secret_triggers then gets a secret (version 1);
//   - an update answered without a secret keeps the stored one, which here still signs (the API
//     did not rotate it), but Terraform cannot know that: the next plan updates again, with the
//     secret unknown, and its answer confirms the same secret at the same version. Then the plan
//     is empty.
func TestWebhookResource_answerWithoutSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "created the webhook",
		"secret in the Terraform state is unknown (null)", "set rotate_secret_triggers")
	ws.expectSecretAttributesNull(t)
	ws.expectNoChanges(t, "a create answered without a secret")

	updateWarning := []string{"Warning: Glossi Webhook Secret Not Returned", "updated the webhook",
		"secret in the Terraform state is unchanged and may be stale", "terraform apply -replace=<address>"}
	ws.writeConfig(t, changedWebhook)
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, updateWarning...)

	withTriggers := strings.Replace(changedWebhook, "enabled = false", "enabled = false\n  rotate_secret_triggers = { rotation = \"1\" }", 1)
	ws.writeConfig(t, withTriggers)
	_, change := ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	ws.expectSecretInSync(t, env, 1)

	ws.writeConfig(t, strings.Replace(withTriggers, "/glossi/v2", "/glossi/v3", 1))
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, updateWarning...)
	ws.expectSecretInSync(t, env, 1)
	_, change = ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	ws.expectSecretInSync(t, env, 1) // the same secret, now confirmed: version unchanged
	ws.expectNoChanges(t, "an update that confirmed the secret")
}

package provider

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Gaps a review found after issue 15: each test runs terraform as a user would and checks the
// diagnostics and the state of the same run.

// Under an API that returns the secret only on create, an update leaves the secret possibly
// stale: the apply warns, the next plan warns and plans an update, and replacing the webhook, as
// the warning advises, converges to the sandbox's secret and an empty plan.
func TestWebhookResource_secretOnlyOnCreateReplaceConverges(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{OmitSecretOnUpdate: true, RotateSecretOnUpdate: true})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	writeFile(t, filepath.Join(ws.dir, "main.tf"), cliRequiredProviders+changedWebhook)

	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "terraform apply -replace=<address>")
	if ws.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the update did not rotate the secret: this test proves nothing")
	}
	out = ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "1 to change, 0 to destroy", "Warning: Glossi Webhook Secret May Be Stale",
		"terraform apply -replace=<address>")

	out = ws.run(t, "apply", "-auto-approve", "-no-color", "-replace=glossi_webhook.test")
	expectOutput(t, out, "1 added, 0 changed, 1 destroyed")
	ws.expectSandboxSecret(t, env, "after the replace")
	out = ws.run(t, "plan", "-no-color", "-detailed-exitcode")
	expectOutput(t, out, "No changes.")
	expectNoOutput(t, out, "Warning: Glossi")
}

// A create whose answer changed a value remembers that answer, through private state, until the
// next step: the next refresh compares with it, and then forgets it.
func TestWebhookLifecycle_answeredUntilNextStep(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	answer := webhookSettings{url: "https://hooks.example.com/", events: []string{"job.failed", "model.processed"},
		enabled: true, description: "d"}
	inState := webhookSettings{url: "https://hooks.example.com/", events: []string{"model.processed"}}
	l := newLifecycle().after(stepCreatedWithSecret, "").rememberAnswer(answer)

	private := memoryPrivate{}
	if diags := saveLifecycle(ctx, private, l); diags.HasError() {
		t.Fatal(diags)
	}
	loaded, _ := loadLifecycle(ctx, private, types.StringValue("id"))
	if loaded != l || !sameSettings(loaded.lastWritten(inState), answer) {
		t.Errorf("round trip of %+v gave %+v, last written %+v", l, loaded, loaded.lastWritten(inState))
	}
	next := loaded.after(stepRefreshSame, "id")
	if next != (webhookLifecycle{}) || !sameSettings(next.lastWritten(inState), inState) {
		t.Errorf("after a refresh: %+v, want in sync with nothing remembered", next)
	}
}

// Case 8's documented leftover: two configurations with the same settings create the webhook at
// once, the first PUT applied late, on an API that rotates the secret on update. No refresh can
// tell: the plan of the configuration that finished first is quiet although its secret is stale,
// until rotate_secret_triggers changes, which stores the current one.
func TestWebhookResource_case8SameSettingsLeftover(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	late := newSandboxWorkspace(t, env, basicWebhook)
	early := newSandboxWorkspace(t, env, basicWebhook)
	applyWithCreateLandingLate(t, env, late, early)
	late.expectSandboxSecret(t, env, "the late create")
	if early.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the late PUT did not rotate the secret: this test proves nothing")
	}

	out := early.run(t, "plan", "-no-color")
	expectOutput(t, out, "No changes.")
	expectNoOutput(t, out, "Warning: Glossi")
	writeFile(t, filepath.Join(early.dir, "main.tf"), cliRequiredProviders+rotatedWebhook(1))
	early.run(t, "apply", "-auto-approve", "-no-color")
	early.expectSandboxSecret(t, env, "after rotate_secret_triggers changed")
}

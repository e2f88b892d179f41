package provider

import (
	"context"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The guards that keep Terraform from taking over or deleting a webhook that is not its own.

// accountHasNoWebhook reports whether the account has no webhook yet, on the API's definite word:
// a PUT would otherwise overwrite someone's webhook. Anything else is an error diagnostic.
func accountHasNoWebhook(ctx context.Context, client *glossi.Client, account string, diags *diag.Diagnostics) bool {
	existing, err := client.Get(ctx)
	switch {
	case err == nil:
		addWebhookExistsError(diags, account, existing.ID)
		return false
	case !glossi.IsNotFound(err):
		addWebhookAPIError(diags, opCreate, account, err)
		return false
	}
	return true
}

// warnBeforeDestroy warns, in the plan of a destroy, about a base URL that does not look like the
// API's (Configure's warning does not show on destroy; client is nil before the provider is
// configured) and about a webhook Terraform did not create or import.
func warnBeforeDestroy(client *glossi.Client, state webhookResourceModel, lifecycle webhookLifecycle, diags *diag.Diagnostics) {
	if client != nil {
		if u, err := url.Parse(client.BaseURL()); err == nil {
			warnUnusualBaseURLPath(diags, u)
		}
	}
	if lifecycle.ReplacedID != "" {
		addDestroyReplacedWarning(diags, lifecycle.ReplacedID, state.ID.ValueString())
	}
}

// deleteIfStillOurs re-reads the webhook and deletes it only if it is the one in state: a
// webhook replaced after the plan belongs to someone else. Only the API's definite "no webhook"
// counts as already deleted.
func deleteIfStillOurs(ctx context.Context, client *glossi.Client, account, stateID string, diags *diag.Diagnostics) {
	current, err := client.Get(ctx)
	switch {
	case glossi.IsNotFound(err):
		return // already gone: nothing to delete
	case err != nil:
		addWebhookAPIError(diags, opDelete, account, err)
		return
	case current.ID != stateID:
		addDeleteOtherWebhookError(diags, stateID, current.ID)
		return
	}
	err = client.Delete(ctx)
	switch {
	case err == nil || glossi.IsNotFound(err):
		return
	case glossi.IsUncertain(err):
		addUncertainDeleteError(diags, err) // the webhook may be gone: "deleted nothing" would be false
		return
	}
	addWebhookAPIError(diags, opDelete, account, err)
}

// checkNoOtherWriter reads the webhook back after a create: the API has no conditional create, so
// another configuration may have written it between the existence check and now. Create then
// fails without recording the webhook: recording it would let a later replace or destroy
// delete the other writer's webhook.
func checkNoOtherWriter(ctx context.Context, client *glossi.Client, written *glossi.Webhook, diags *diag.Diagnostics) {
	current, err := client.Get(ctx)
	if err != nil {
		return // the next refresh reads it again; the create itself succeeded
	}
	if current.ID != written.ID || !sameSettings(settingsOfAnswer(written), settingsOfAnswer(current)) {
		addOtherWriterError(diags, written.ID, current.ID)
	}
}

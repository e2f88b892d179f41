package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The three ways Read refreshes a webhook: after a create whose outcome is unknown, right after
// an import, and the ordinary refresh. Each asks the lifecycle where it goes.

// refreshWebhook reads the account's webhook into state. Only the API's definite "no webhook" removes
// the resource; an ambiguous answer is an error and the state stays as it was.
func refreshWebhook(ctx context.Context, client *glossi.Client, resp *resource.ReadResponse, state webhookResourceModel, lifecycle webhookLifecycle) {
	webhook, err := client.Get(ctx)
	if err != nil && !glossi.IsNotFound(err) {
		addWebhookAPIError(&resp.Diagnostics, opRead, accountName(state.Account), err)
		return
	}
	step := refreshStep(lifecycle.lastWritten(settingsOfModel(ctx, state)), state.ID.ValueString(), webhook)
	if step == stepRefreshAnother {
		addReplacedOutsideWarning(&resp.Diagnostics, state.ID.ValueString(), webhook.ID)
	}
	storeRead(ctx, resp, state, lifecycle.after(step, state.ID.ValueString()), webhook)
}

// refreshStep tells what a refresh found: no webhook (nil), the webhook in state (id stateID), the
// same one with settings other than lastWritten, those the API last answered to Terraform, so
// changed by another writer (whose PUT may have rotated the secret), or another webhook.
func refreshStep(lastWritten webhookSettings, stateID string, webhook *glossi.Webhook) lifecycleStep {
	switch {
	case webhook == nil:
		return stepRefreshNoWebhook
	case webhook.ID != stateID:
		return stepRefreshAnother
	case !sameSettings(lastWritten, settingsOfAnswer(webhook)):
		return stepRefreshChanged
	}
	return stepRefreshSame
}

// readImported completes an import: the id must be the account's webhook, whose secret the API
// does not return.
func readImported(ctx context.Context, client *glossi.Client, resp *resource.ReadResponse, state webhookResourceModel, lifecycle webhookLifecycle) {
	webhook, err := client.Get(ctx)
	switch {
	case glossi.IsNotFound(err):
		addImportNotFoundError(&resp.Diagnostics, accountName(state.Account), state.ID.ValueString())
		return
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opImport, accountName(state.Account), err)
		return
	case webhook.ID != state.ID.ValueString():
		addImportMismatchError(&resp.Diagnostics, accountName(state.Account), state.ID.ValueString(), webhook.ID)
		return
	}
	addSecretAfterImportWarning(&resp.Diagnostics)
	storeRead(ctx, resp, state, lifecycle.after(stepImported, ""), webhook)
}

// readAfterUncertainCreate refreshes a resource whose create got no definite answer. The
// account's webhook is taken as the one Terraform created only if it has the settings that were
// sent (there was no webhook before that PUT); otherwise, or with no webhook, the resource leaves
// the state and the webhook is not touched.
func readAfterUncertainCreate(ctx context.Context, client *glossi.Client, resp *resource.ReadResponse, state webhookResourceModel, lifecycle webhookLifecycle) {
	webhook, err := client.Get(ctx)
	step := stepRefreshSentFound
	switch {
	case glossi.IsNotFound(err):
		step = stepRefreshNoWebhook
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opReadAfterUncertainCreate, accountName(state.Account), err)
		return
	case !sameSettings(settingsOfModel(ctx, state), settingsOfAnswer(webhook)):
		addUncertainCreateNotOursWarning(&resp.Diagnostics, webhook.ID)
		step = stepRefreshAnother
	}
	storeRead(ctx, resp, state, lifecycle.after(step, ""), webhook)
}

// storeRead stores the webhook a Read found, and next, the lifecycle its step moved to; where the
// step moved it to absent, the resource leaves the state instead.
func storeRead(ctx context.Context, resp *resource.ReadResponse, state webhookResourceModel, next webhookLifecycle, webhook *glossi.Webhook) {
	if next.State == lifecycleAbsent {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newWebhookResourceModel(ctx, webhook, state, &resp.Diagnostics))...)
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, next)...)
}

package provider

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// privateReplacedID holds, in private state, the id of the webhook Terraform created or imported
// when a refresh found another webhook in its place: the plan of a destroy names both.
const privateReplacedID = "replaced_id"

// privateGetter and privateSetter are the private-state halves of the framework's requests and
// responses.
type (
	privateGetter interface {
		GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	}
	privateSetter interface {
		SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
	}
)

// rememberReplacedID records the id Terraform managed before a refresh adopted another one;
// the earliest wins, so a webhook replaced twice still names the one Terraform created.
func rememberReplacedID(ctx context.Context, prior privateGetter, next privateSetter, managedID string) diag.Diagnostics {
	if old, diags := prior.GetKey(ctx, privateReplacedID); diags.HasError() || len(old) > 0 {
		return diags
	}
	value, _ := json.Marshal(managedID) // private state holds JSON; a string always marshals.
	return next.SetKey(ctx, privateReplacedID, value)
}

// warnDestroyOfReplaced warns, in the plan of a destroy, that the webhook to delete is not the
// one Terraform created or imported.
func warnDestroyOfReplaced(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	raw, diags := req.Private.GetKey(ctx, privateReplacedID)
	resp.Diagnostics.Append(diags...)
	var old string
	if len(raw) == 0 || json.Unmarshal(raw, &old) != nil {
		return
	}
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addDestroyReplacedWarning(&resp.Diagnostics, old, state.ID.ValueString())
}

// deleteIfStillOurs re-reads the webhook and deletes it only if it is the one in state: a
// webhook replaced after the plan belongs to someone else.
func (r *webhookResource) deleteIfStillOurs(ctx context.Context, stateID string, diags *diag.Diagnostics) {
	current, err := r.client.Get(ctx)
	switch {
	case glossi.IsNotFound(err):
		return // already gone: nothing to delete
	case err != nil:
		addWebhookAPIError(diags, "Deleting", err)
		return
	case current.ID != stateID:
		addDeleteOtherWebhookError(diags, stateID, current.ID)
		return
	}
	if err := r.client.Delete(ctx); err != nil && !glossi.IsNotFound(err) {
		addWebhookAPIError(diags, "Deleting", err)
	}
}

// checkNoOtherWriter reads the webhook back after a create: the API has no conditional create, so
// another configuration may have written it between the existence check and now. Create then
// fails without recording the webhook: recording it would let a later replace or destroy
// delete the other writer's webhook.
func (r *webhookResource) checkNoOtherWriter(ctx context.Context, written *glossi.Webhook, diags *diag.Diagnostics) {
	current, err := r.client.Get(ctx)
	if err != nil {
		return // the next refresh reads it again; the create itself succeeded
	}
	if current.ID != written.ID || current.URL != written.URL || current.Enabled != written.Enabled ||
		!slices.Equal(sortedCopy(current.Events), sortedCopy(written.Events)) {
		addOtherWriterError(diags, written.ID, current.ID)
	}
}

func sortedCopy(values []string) []string {
	out := slices.Clone(values)
	slices.Sort(out)
	return out
}

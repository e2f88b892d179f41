package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// The wording of every diagnostic the provider shows lives here, so it stays consistent.

// addWebhookAPIError reports a failed call to the Glossi API while doing action ("Creating",
// "Reading", ...) to the webhook, with advice that fits the kind of failure.
func addWebhookAPIError(diags *diag.Diagnostics, action string, err error) {
	summary := fmt.Sprintf("Error %s Glossi Webhook", action)
	diags.AddError(summary, apiErrorDetail(err))
}

func apiErrorDetail(err error) string {
	switch {
	case errors.Is(err, glossi.ErrMissingAPIKey):
		return "No Glossi API key is configured. Set api_key in the provider block, or the " + envAPIKey +
			" environment variable."
	case glossi.IsUnauthorized(err):
		return "The Glossi API rejected the API key. Check that api_key (or " + envAPIKey +
			") holds a valid, current key for this account.\n\nOriginal error: " + err.Error()
	default:
		return "The Glossi API call did not succeed. If the error is temporary, run Terraform again; " +
			"otherwise correct what it names.\n\nOriginal error: " + err.Error()
	}
}

func addUnconfiguredProviderError(diags *diag.Diagnostics, got any) {
	diags.AddError("Unexpected Glossi Provider Data",
		fmt.Sprintf("Expected a *glossi.Client, got %T. This is a bug in the provider; please report it.", got))
}

func addWebhookExistsError(diags *diag.Diagnostics, id string) {
	diags.AddError("Glossi Webhook Already Exists",
		"This Glossi account already has a webhook (id "+id+"), and an account has only one. "+
			"Creating another would overwrite it, so nothing was changed. Bring the existing webhook under "+
			"Terraform's management instead:\n\n"+
			"  terraform import glossi_webhook.<name> "+id+"\n\n"+
			"where <name> is this resource's name (Terraform names it in the \"with glossi_webhook...\" line "+
			"above this message), or add an import block:\n\n"+
			"  import {\n    to = glossi_webhook.<name>\n    id = \""+id+"\"\n  }\n\n"+
			"Or delete the existing webhook first if it is no longer needed.")
}

func addImportMismatchError(diags *diag.Diagnostics, importID, actualID string) {
	diags.AddError("Cannot Import Glossi Webhook",
		fmt.Sprintf("The id %q is not this account's webhook: the account's webhook has id %q. "+
			"Each API key has one webhook; import it with that id.", importID, actualID))
}

func addImportNotFoundError(diags *diag.Diagnostics, importID string) {
	diags.AddError("Cannot Import Glossi Webhook",
		fmt.Sprintf("The id %q cannot be imported: this account has no webhook. "+
			"Check the API key the provider uses, or create the webhook with Terraform instead.", importID))
}

func addSecretAfterImportWarning(diags *diag.Diagnostics) {
	diags.AddWarning("Glossi Webhook Secret Not Available After Import",
		"The Glossi API returns the signing secret only when a webhook is created or updated, so the "+
			"imported resource has no secret. To get one, set rotate_secret_triggers (for example "+
			"rotate_secret_triggers = { rotation = \"1\" }) and apply: Terraform updates the webhook and "+
			"stores the secret the API returns.")
}

func addReplacedOutsideWarning(diags *diag.Diagnostics, oldID, newID string) {
	diags.AddWarning("Glossi Webhook Replaced Outside Terraform",
		fmt.Sprintf("The account's webhook now has id %q instead of %q: it was deleted and created again "+
			"outside Terraform, so the secret in the Terraform state is stale. The next apply updates the "+
			"webhook to match the configuration and stores the secret the API returns.", newID, oldID))
}

func addNoWebhookError(diags *diag.Diagnostics) {
	diags.AddError("Glossi Webhook Not Found",
		"This Glossi account has no webhook. Create one with the glossi_webhook resource, "+
			"or check that the provider uses the right API key.")
}

func addReplacedDuringApplyError(diags *diag.Diagnostics, plannedID, actualID string) {
	diags.AddError("Glossi Webhook Replaced During Apply",
		fmt.Sprintf("The webhook %q was deleted outside Terraform after the plan was made, so the update "+
			"created a new webhook (id %q) with this configuration. Terraform stored the new webhook and its "+
			"secret; run terraform plan again to check that nothing else changed.", plannedID, actualID))
}

// emptySecretFuncError is the error of a provider function given an empty secret at argument
// position (zero-based). Terraform adds the final period itself.
func emptySecretFuncError(position int64) *function.FuncError {
	return function.NewArgumentFuncError(position, "The secret is empty. An empty key makes every signature "+
		"forgeable, so Glossi never uses one: pass the webhook's secret, such as glossi_webhook.main.secret, "+
		"and check that it is known (an imported webhook has no secret until it is rotated)")
}

package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

// The wording of every diagnostic the provider shows lives here, so it stays consistent.

// webhookOperation is what Terraform was doing when a call failed, and what the failure left as it
// was: each diagnostic says only what is true for the operation at hand.
type webhookOperation struct {
	action  string // in the summary: "Error <action> Glossi Webhook"
	outcome string // a sentence for the detail, or "" when there is nothing true to say
	// inState: the webhook is in state, so a user sure that it is gone can remove it from there.
	inState bool
}

var (
	opCreate = webhookOperation{"Creating", "Terraform created no webhook.", false}
	opImport = webhookOperation{"Importing", "Nothing was imported.", false}
	opRead   = webhookOperation{"Reading", "Terraform changed nothing and kept the webhook in state.", true}
	// opReadAfterUncertainCreate is the refresh after a create that got no definite answer: the
	// state holds only what that create sent, no id, and maybe there is no webhook.
	opReadAfterUncertainCreate = webhookOperation{"Reading", "Terraform changed nothing: the state still holds " +
		"only the settings the unanswered create sent, and the next refresh checks again whether that create " +
		"made the webhook.", false}
	opUpdate = webhookOperation{"Updating", "The webhook and the Terraform state are as they were.", false}
	opDelete = webhookOperation{"Deleting", "Terraform deleted nothing and kept the webhook in state.", true}
	// opLookUp is the data source's read: there is no state to keep.
	opLookUp = webhookOperation{"Reading", "", false}
)

// addressNote says where to find the <address> of the commands the advice gives: Terraform does
// not tell a provider the address of the resource at hand (its requests name only the type), but
// prints it in the "with" line of the diagnostic.
const addressNote = `<address> is this resource's address, which the "with" line above this message names (such ` +
	`as glossi_webhook.main).`

// addWebhookAPIError reports a failed call to the Glossi API for account during op, with advice
// that fits the kind of failure.
func addWebhookAPIError(diags *diag.Diagnostics, op webhookOperation, account string, err error) {
	summary := fmt.Sprintf("Error %s Glossi Webhook", op.action)
	diags.AddError(summary, apiErrorDetail(err, op, account))
}

func apiErrorDetail(err error, op webhookOperation, account string) string {
	if errors.Is(err, glossi.ErrMissingAPIKey) {
		return blankAPIKeyDetail(account)
	}
	outcome := op.outcome
	if op.inState && glossi.IsUnexpectedAnswer(err) {
		outcome += " If base_url is right and you are sure that the webhook no longer exists, remove it from " +
			"the state: terraform state rm <address>. " + addressNote
	}
	return strings.TrimSpace(apiErrorAdvice(err, account)+" "+outcome) + "\n\nOriginal error: " + err.Error()
}

func apiErrorAdvice(err error, account string) string {
	switch {
	case glossi.IsUnauthorized(err):
		return fmt.Sprintf("The Glossi API rejected the API key of %s. Check that %s holds a valid, current key "+
			"for that account.", accountLabel(account), keySetting(account))
	case glossi.IsUnexpectedAnswer(err):
		return "The answer does not look like the Glossi API's: is base_url right? It must be the API root, such as " +
			glossi.DefaultBaseURL + " (set base_url, or " + envBaseURL + ")."
	case glossi.IsConnectionError(err):
		return "Terraform could not reach the Glossi API. Check base_url (or " + envBaseURL + ") and the network; " +
			"if the API was only briefly unreachable, run Terraform again."
	case glossi.IsTransient(err):
		return "The Glossi API is rate limiting or failing for now. Wait a moment and run Terraform again."
	}
	return "The Glossi API refused the request. Correct what the error names, then apply again."
}

// keySetting is the provider setting that holds the key of account.
func keySetting(account string) string {
	if account == defaultAccount {
		return "api_key (or " + envAPIKey + ")"
	}
	return fmt.Sprintf("api_keys[%q]", account)
}

func blankAPIKeyDetail(account string) string {
	if account == defaultAccount {
		return "api_key, the API key of the provider's default account, is only whitespace, so Terraform cannot call " +
			"the Glossi API for it. Set api_key to the account's API key (is the variable that should hold it " +
			"unset?), or remove it to use the " + envAPIKey + " environment variable."
	}
	return fmt.Sprintf("%s, the API key of the account %q, is only whitespace, so Terraform cannot call the Glossi "+
		"API for that account. Set it to the account's API key (is the variable that should hold it unset?), or "+
		"remove %q from api_keys.", keySetting(account), account, account)
}

func addBlankAPIKeyError(diags *diag.Diagnostics, attr path.Path, account string) {
	diags.AddAttributeError(attr, "Empty Glossi API Key", blankAPIKeyDetail(account))
}

// accountNotListed is the diagnostic of an account whose webhook the list resource could not
// read. While other accounts are listed it is a warning: Terraform drops every result of a list
// whose provider reports an error, so an error would hide the accounts that worked.
func accountNotListed(account string, err error, othersListed bool) diag.Diagnostic {
	op := webhookOperation{action: "Listing", outcome: "No other account could be listed either."}
	if othersListed {
		op.outcome = "The webhooks of the other accounts are listed."
	}
	detail := upperFirst(accountLabel(account)) + " is not listed. " + apiErrorDetail(err, op, account)
	// The summary names the account: Terraform folds warnings with the same summary into one.
	summary := fmt.Sprintf("Glossi Account %q Not Listed", account)
	if account == defaultAccount {
		summary = "Glossi Account of api_key Not Listed"
	}
	if othersListed {
		return diag.NewWarningDiagnostic(summary, detail)
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// listLimitReached is the warning of a query that found more webhooks than its limit lets
// Terraform list.
func listLimitReached(found int, limit int64, firstLeftOut string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Glossi Webhooks Not All Listed",
		fmt.Sprintf("The query found %d webhooks, but the list block's limit is %d, so Terraform lists the first %d "+
			"(in the order of the accounts) and leaves out %d, from %s on. Set limit = %d (or more) in the list block "+
			"to list them all.", found, limit, limit, int64(found)-limit, accountLabel(firstLeftOut), found))
}

func addUnconfiguredProviderError(diags *diag.Diagnostics, got any) {
	diags.AddError("Unexpected Glossi Provider Data",
		fmt.Sprintf("Expected the configured Glossi accounts, got %T. This is a bug in the provider; please report it.", got))
}

func addWebhookExistsError(diags *diag.Diagnostics, account, id string) {
	diags.AddError("Glossi Webhook Already Exists",
		upperFirst(accountLabel(account))+" already has a webhook (id "+id+"), and an account has only one. "+
			"Creating another would overwrite it, so nothing was changed. Bring the existing webhook under "+
			"Terraform's management instead:\n\n"+
			"  terraform import <address> "+importIDOf(account, id)+"\n\n"+
			"or add an import block:\n\n"+
			"  import {\n    to = <address>\n    id = \""+importIDOf(account, id)+"\"\n  }\n\n"+
			"Or delete the existing webhook first if it is no longer needed. "+addressNote)
}

func addImportMismatchError(diags *diag.Diagnostics, account, importedID, actualID string) {
	diags.AddError("Cannot Import Glossi Webhook",
		fmt.Sprintf("The id %q is not the webhook of %s, whose webhook has id %q. "+
			"Each API key has one webhook; import it as %q.", importedID, accountLabel(account), actualID,
			importIDOf(account, actualID)))
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func addEmptyImportIDError(diags *diag.Diagnostics, account string) {
	diags.AddError("Cannot Import Glossi Webhook",
		fmt.Sprintf("The import id is empty, or names an account but no webhook: is the variable that should hold "+
			"it unset? Import the webhook of %s by its id, which the Glossi API returns from GET /webhooks and which "+
			"the \"Glossi Webhook Already Exists\" error names:\n\n  terraform import glossi_webhook.<name> %s\n\n"+
			"or add an import block:\n\n  import {\n    to = glossi_webhook.<name>\n    id = %q\n  }",
			accountLabel(account), importIDOf(account, "<id>"), importIDOf(account, "<id>")))
}

func addImportNotFoundError(diags *diag.Diagnostics, account, importedID string) {
	diags.AddError("Cannot Import Glossi Webhook",
		fmt.Sprintf("The id %q cannot be imported: %s has no webhook. "+
			"Check that %s is the key of the account you mean, or create the webhook with Terraform instead.",
			importedID, accountLabel(account), keySetting(account)))
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

func addUnreadableLifecycleError(diags *diag.Diagnostics, problem string) {
	diags.AddError("Unreadable Glossi Webhook Private State",
		"Beside its attributes, Terraform keeps what it knows of this webhook's history (a create that got no "+
			"definite answer, a secret that may be stale, a webhook replaced outside Terraform) in the resource's "+
			"private state, and this version of the provider cannot read it: "+problem+". Rather than guess, and "+
			"perhaps take over another writer's webhook or keep a stale secret, Terraform stops. If a newer version "+
			"of the provider wrote it, use that version. Otherwise make Terraform forget the webhook and import it "+
			"again: terraform state rm <address>, then terraform import <address> <id>, then set "+
			"rotate_secret_triggers to store a secret. "+addressNote)
}

func addImportFromAnotherAccountError(diags *diag.Diagnostics, imported, configured, id string) {
	diags.AddAttributeError(path.Root("account"), "Glossi Webhook Imported From Another Account",
		fmt.Sprintf("The import brought in the webhook %q of %s, but this resource's account is %s: the plan "+
			"would import it and then replace it, deleting that webhook and creating one in %s. If the import "+
			"names the wrong account, import the webhook of %s instead (the import id %q, or an identity whose "+
			"account is %s). If it names the right one, set the resource's account to match: %s. To move the "+
			"webhook to %s on purpose later, first apply once with the account it has and a change the API "+
			"holds (a change of rotate_secret_triggers will do, and fetches its secret): this check holds only "+
			"until Terraform has written the imported webhook.",
			id, accountLabel(imported), accountLabel(configured), accountLabel(configured), accountLabel(configured),
			importIDOf(configured, "<id>"), identityAccount(configured), accountSetting(imported), accountLabel(configured)))
}

// accountLabel names an account in a sentence: api_key's, or one of api_keys by its name.
func accountLabel(account string) string {
	if account == defaultAccount {
		return "the account of api_key"
	}
	return fmt.Sprintf("the account %q", account)
}

// identityAccount is the account attribute of an identity that names account.
func identityAccount(account string) string {
	if account == defaultAccount {
		return "null"
	}
	return fmt.Sprintf("%q", account)
}

// accountSetting is how a glossi_webhook's configuration names account.
func accountSetting(account string) string {
	if account == defaultAccount {
		return "remove account, for the account of api_key"
	}
	return fmt.Sprintf("account = %q", account)
}

func addNoWebhookError(diags *diag.Diagnostics, account string) {
	diags.AddError("Glossi Webhook Not Found",
		fmt.Sprintf("%s has no webhook. Create one with the glossi_webhook resource, or check that %s is the key "+
			"of the account you mean.", upperFirst(accountLabel(account)), keySetting(account)))
}

func addReplacedDuringApplyError(diags *diag.Diagnostics, plannedID, actualID string) {
	diags.AddError("Glossi Webhook Replaced During Apply",
		fmt.Sprintf("The webhook %q was deleted outside Terraform after the plan was made, so the update "+
			"created a new webhook (id %q) with this configuration. Terraform stored the new webhook and its "+
			"secret; run terraform plan again to check that nothing else changed.", plannedID, actualID))
}

func addUncertainUpdateError(diags *diag.Diagnostics, err error) {
	diags.AddError("Glossi Webhook Update Outcome Unknown",
		"The Glossi API gave no definite answer to the update, so Terraform cannot tell whether it was "+
			"applied. If it was, the API may have rotated the signing secret, and the secret in the Terraform "+
			"state may now be stale. Run terraform apply again: the next plan updates the webhook and stores "+
			"the secret the API returns.\n\nOriginal error: "+err.Error())
}

func addUncertainDeleteError(diags *diag.Diagnostics, err error) {
	diags.AddError("Glossi Webhook Delete Outcome Unknown",
		"The Glossi API gave no definite answer to the delete, so Terraform cannot tell whether the webhook "+
			"was deleted: it may be gone already. Terraform kept it in state. Run terraform destroy (or "+
			"terraform apply) again: the refresh finds out, and Terraform deletes the webhook if it still "+
			"exists, or removes it from the state if it is gone.\n\nOriginal error: "+err.Error())
}

func addSecretMayBeStaleWarning(diags *diag.Diagnostics) {
	diags.AddWarning("Glossi Webhook Secret May Be Stale",
		"Terraform cannot tell whether the secret in its state still signs deliveries: an update's outcome "+
			"was unknown, an update was answered without a secret, or the webhook's settings were changed "+
			"outside Terraform, and each may have rotated the secret. Terraform plans an update so that the "+
			"apply stores the secret the API returns. If this keeps coming back because the API never returns "+
			"the secret on update, replace the webhook to get one: terraform apply -replace=<address>. "+addressNote)
}

func addUncertainCreateError(diags *diag.Diagnostics, err error) {
	diags.AddError("Glossi Webhook Create Outcome Unknown",
		"The Glossi API gave no definite answer to the create, so Terraform cannot tell whether the webhook "+
			"exists. Run terraform apply again: if the account's webhook has exactly the settings sent "+
			"(url, events, enabled and description), Terraform replaces it to store a secret; otherwise it "+
			"creates the webhook, or reports a webhook it did not create.\n\nOriginal error: "+err.Error())
}

func addUncertainCreateNotOursWarning(diags *diag.Diagnostics, id string) {
	diags.AddWarning("Glossi Webhook Not Created By Terraform",
		fmt.Sprintf("The last create of this webhook got no definite answer, and the account's webhook (id %q) "+
			"does not have the settings that create sent, so Terraform leaves it alone and plans to create "+
			"the webhook. Import that webhook if Terraform should manage it.", id))
}

func addSecretNotReturnedOnCreateWarning(diags *diag.Diagnostics) {
	diags.AddWarning("Glossi Webhook Secret Not Returned",
		"The Glossi API created the webhook but its answer held no signing secret, so the secret in the "+
			"Terraform state is unknown (null). To get one, set rotate_secret_triggers (for example "+
			"rotate_secret_triggers = { rotation = \"1\" }) and apply: Terraform updates the webhook and "+
			"stores the secret the API returns.")
}

func addSecretNotReturnedOnUpdateWarning(diags *diag.Diagnostics) {
	diags.AddWarning("Glossi Webhook Secret Not Returned",
		"The Glossi API updated the webhook but its answer held no signing secret, so the secret in the "+
			"Terraform state is unchanged and may be stale: if the API rotated it, deliveries no longer verify "+
			"with it. The next plan updates the webhook again to get the secret; if this API never returns the "+
			"secret on update, replace the webhook instead: terraform apply -replace=<address>. "+addressNote)
}

func addSecretNotRotatedWarning(diags *diag.Diagnostics) {
	diags.AddWarning("Glossi Webhook Secret Not Rotated",
		"rotate_secret_triggers changed, so Terraform updated the webhook to get a new secret, but the Glossi "+
			"API answered with the secret already in the Terraform state: this API keeps the secret when a "+
			"webhook is updated. secret, secret_version and previous_secret are unchanged and the secret still "+
			"signs deliveries. To get a new secret, replace the webhook: terraform apply -replace=<address> "+
			"(Glossi sends no deliveries between the delete and the create). "+addressNote)
}

// recipientsChangeWording is the summary and the first sentence of the warning for each change
// of secret_recipients; recipientsChangedDetail follows it.
var recipientsChangeWording = map[recipientsChange][2]string{
	recipientsAdded: {"Glossi Webhook Secret Encryption Turned On",
		"secret_recipients is now set, so the secret leaves the Terraform state in plaintext: this update " +
			"encrypts secret and previous_secret to the recipients and stores the secret the Glossi API returns, " +
			"encrypted."},
	recipientsChanged: {"Glossi Webhook Secret Recipients Changed",
		"The provider keeps no plaintext secret, so it cannot encrypt the stored one to the new recipients: " +
			"this update stores the secret the Glossi API returns, encrypted to every recipient. The previous " +
			"secret stays only in previous_secret_ciphertext, encrypted to the recipients it was made for (and " +
			"if the API rotates the secret now, the replaced one goes there, encrypted to the old recipients): a " +
			"receiver that holds only a new recipient's identity cannot read it, so it refuses Glossi's retries " +
			"of deliveries signed with it, which last an hour after secret_rotated_at. Keep an old recipient's " +
			"identity with the receiver until then. A removed recipient cannot decrypt the new secret_ciphertext " +
			"but keeps what it could decrypt before: if its key may be compromised, make sure the secret changes " +
			"(see secret_version after the apply)."},
	recipientsRemoved: {"Glossi Webhook Secret Encryption Turned Off",
		"secret_recipients was removed, so the secret goes back into the Terraform state in plaintext (sensitive). " +
			"The provider cannot decrypt secret_ciphertext, so this update stores the secret the Glossi API returns. " +
			"The previous secret stays only in previous_secret_ciphertext, encrypted to the old recipients, until the " +
			"next rotation replaces it (and if the API rotates the secret now, the replaced one goes there too), and " +
			"previous_secret stays null: a receiver given only secret and previous_secret refuses Glossi's retries " +
			"of deliveries signed with the previous secret, which last an hour after secret_rotated_at. Keep an old " +
			"recipient's identity with the receiver until then."},
}

func addRecipientsChangedWarning(diags *diag.Diagnostics, change recipientsChange) {
	wording := recipientsChangeWording[change]
	diags.AddWarning(wording[0], wording[1]+" The API may return a new secret (one that rotates on update "+
		"does): receivers then need the new value, and keep the previous one for an hour after secret_rotated_at.")
}

func addSecretNotEncryptedError(diags *diag.Diagnostics, err error) {
	diags.AddError("Error Encrypting Glossi Webhook Secret",
		"The Glossi API returned the webhook's secret, but it could not be encrypted to secret_recipients, so it "+
			"was not stored (the state never holds it in plaintext while recipients are set): the state keeps the "+
			"secret it stored before, if encrypted, and secret_version does not move. Fix secret_recipients and "+
			"apply again to get the secret; if the plan does not update the webhook, change rotate_secret_triggers."+
			"\n\nOriginal error: "+err.Error())
}

func addInvalidRecipientError(diags *diag.Diagnostics, attr path.Path, err error) {
	diags.AddAttributeError(attr, "Invalid Secret Recipient",
		upperFirst(err.Error())+". secret_recipients takes age X25519 recipients (the \"public key\" age-keygen "+
			"prints) and SSH ed25519 or RSA public keys (a line of a .pub file).")
}

func addMissingAPIKeyError(diags *diag.Diagnostics) {
	diags.AddError("Missing Glossi API Key",
		"The glossi_webhook resource and data source need a Glossi API key to plan and apply, and none "+
			"is set. Set api_key in the provider block, or the "+envAPIKey+" environment variable. (The "+
			"provider functions and glossi_webhook_probe need no key.)")
}

func addInsecureBaseURLError(diags *diag.Diagnostics, baseURL string) {
	diags.AddAttributeError(path.Root("base_url"), "Insecure Glossi Base URL",
		fmt.Sprintf("The base URL %q uses plain http to another machine, so the API key would travel in clear "+
			"text. Use https, or http only to this machine (localhost, 127.0.0.1, ::1). If you accept the risk, "+
			"for example inside a trusted private network, set allow_insecure_http = true in the provider block.", baseURL))
}

func addInsecureBaseURLWarning(diags *diag.Diagnostics, baseURL string) {
	diags.AddAttributeWarning(path.Root("base_url"), "Glossi API Key Sent Over Plain HTTP",
		fmt.Sprintf("allow_insecure_http is set, so the API key goes to %q in clear text. Anyone on the network "+
			"path can read it. Use an https base URL and remove allow_insecure_http as soon as you can.", baseURL))
}

func addBaseURLPathWarning(diags *diag.Diagnostics, baseURL, gotPath string) {
	if gotPath == "" {
		gotPath = "/"
	}
	diags.AddAttributeWarning(path.Root("base_url"), "Unusual Glossi Base URL Path",
		fmt.Sprintf("The base URL %q has the path %q, but the Glossi API lives under %q (as in %q). "+
			"If base_url (or %s) is wrong, every call will fail; check it.", baseURL, gotPath, apiRootPath, glossi.DefaultBaseURL, envBaseURL))
}

func answerChangedDetail(attribute, planned, answered string) string {
	return fmt.Sprintf("The Glossi API stored %s as %s, not the configured %s: it changed the value, not only its "+
		"form. ", attribute, answered, planned)
}

func addAnswerChangedOnCreateWarning(diags *diag.Diagnostics, attribute, planned, answered string) {
	diags.AddAttributeWarning(path.Root(attribute), "Glossi API Changed "+attributeTitle(attribute),
		answerChangedDetail(attribute, planned, answered)+"The webhook was created; the next plan shows the API's "+
			"value as a change. Use a value the API keeps as it is.")
}

func addAnswerChangedOnUpdateError(diags *diag.Diagnostics, attribute, planned, answered string) {
	diags.AddAttributeError(path.Root(attribute), "Glossi API Changed "+attributeTitle(attribute),
		answerChangedDetail(attribute, planned, answered)+"Terraform stored what the API answered, so the next "+
			"plan shows the difference. Use a value the API keeps as it is.")
}

func attributeTitle(attribute string) string {
	switch attribute {
	case "url":
		return "Webhook URL"
	case "events":
		return "Webhook Events"
	case "description":
		return "Webhook Description"
	}
	return "Webhook Enabled"
}

func addDestroyReplacedWarning(diags *diag.Diagnostics, createdID, currentID string) {
	diags.AddWarning("Destroying a Glossi Webhook Terraform Did Not Create",
		fmt.Sprintf("Terraform created or imported the webhook %q, but it was replaced outside Terraform: the "+
			"account's webhook is now %q, and destroying deletes that one. If someone else owns it, do not apply; "+
			"remove it from the state instead with: terraform state rm <address>. %s", createdID, currentID, addressNote))
}

func addDeleteOtherWebhookError(diags *diag.Diagnostics, stateID, currentID string) {
	diags.AddError("Refusing to Delete Another Glossi Webhook",
		fmt.Sprintf("The account's webhook is now %q, not %q as in the plan: it was replaced outside Terraform "+
			"after the plan was made, so Terraform did not delete it. Run terraform plan again to see the "+
			"change, and destroy again only if that webhook should go.", currentID, stateID))
}

func addPlainHTTPWebhookWarning(diags *diag.Diagnostics, webhookURL string) {
	diags.AddAttributeWarning(path.Root("url"), "Webhook URL Uses Plain HTTP",
		fmt.Sprintf("%q is not encrypted: the deliveries and their signatures travel in clear text. "+
			"Plain http is fine for local testing; use an https URL in production.", webhookURL))
}

func addURLCredentialsWarning(diags *diag.Diagnostics, parts []string) {
	diags.AddAttributeWarning(path.Root("url"), "Webhook URL Contains Credentials",
		"The webhook URL carries what looks like a credential ("+strings.Join(parts, ", ")+"). Terraform shows "+
			"the URL in plan output and keeps it in state in clear text, and Glossi stores it. Verify deliveries "+
			"with the X-Glossi-Signature header and the webhook secret instead of a credential in the URL.")
}

func addUnknownEventsWarning(diags *diag.Diagnostics, events []string) {
	diags.AddAttributeWarning(path.Root("events"), "Unknown Glossi Event",
		fmt.Sprintf("%s not among the events this provider knows (%s). The Glossi API is in beta and may have "+
			"added %s; if it has not, the API will reject %s at apply.", quotedList(events), strings.Join(knownEvents, ", "),
			pronoun(len(events)), pronoun(len(events))))
}

// pronoun is "it" for one thing, "them" for several.
func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// quotedList renders ["a", "b"] as `"a" and "b" are` (or `"a" is`).
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	if len(quoted) == 1 {
		return quoted[0] + " is"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1] + " are"
}

func addOtherWriterError(diags *diag.Diagnostics, writtenID, currentID string) {
	diags.AddError("Another Writer Changed the Glossi Webhook",
		fmt.Sprintf("Terraform created the webhook %q, but reading it back found %q with another configuration: "+
			"something else (another Terraform configuration using this API key?) wrote it at the same time. "+
			"Terraform did not record the webhook in its state, so it does not take over, or later delete, the "+
			"other writer's webhook. Manage the webhook of an API key from one configuration only: import it into "+
			"the configuration that should own it.", writtenID, currentID))
}

// secretProblem applies glossiwebhook's secret rule, the one every entry point applies, and
// returns its error as it is ("" for a secret): what is wrong and what to give instead, never
// the secret. The provider functions, glossi_webhook_probe, the example receiver and
// glossi-sandbox send all show these words for the same mistake. A null secret (an imported
// webhook has none) is checked as empty.
func secretProblem(secret types.String) string {
	if err := glossiwebhook.CheckSecret(secret.ValueString()); err != nil {
		return err.Error()
	}
	return ""
}

func addUnknownAccountError(diags *diag.Diagnostics, attr path.Path, origin accountOrigin, name string, configured []string) {
	known := "The provider block configures no api_keys."
	if len(configured) > 0 {
		known = "The provider block's api_keys names " + quotedNames(configured) + "."
	}
	if near := nearest(configured, name); near != "" {
		known += fmt.Sprintf(" Did you mean %q?", near)
	}
	var detail string
	switch origin {
	case accountInState:
		detail = fmt.Sprintf("The webhook in the state belongs to the account %q, which is not configured. %s "+
			"Terraform needs that account's key to refresh, change or destroy the webhook: put it back in api_keys "+
			"until the webhook is destroyed, or make Terraform forget the webhook (and leave it in the account) with "+
			"a removed block or terraform state rm.", name, known)
	case accountInImport:
		detail = fmt.Sprintf("The import names the account %q, which is not configured. %s Import with one of "+
			"those names (\"<account>/<id>\", or the identity's account), or add %q to api_keys first.", name, known, name)
	case accountInList:
		detail = fmt.Sprintf("The list block's accounts names %q, which is not configured. %s List only configured "+
			"accounts (\"\" is the account of api_key), or leave accounts out to list them all.", name, known)
	default:
		detail = fmt.Sprintf("The account %q is not configured. %s Use one of those names, or add %q to api_keys. "+
			"Without account, a glossi_webhook uses the account of the provider's api_key.", name, known, name)
	}
	diags.AddAttributeError(attr, "Unknown Glossi Account", detail)
}

func addNoDefaultAccountError(diags *diag.Diagnostics, attr path.Path, origin accountOrigin, configured []string) {
	unset := "neither api_key nor the " + envAPIKey + " environment variable is set"
	var detail string
	switch origin {
	case accountInImport:
		detail = "The import names no account, so it is for the provider's default account, and " + unset +
			". Prefix the import id with one of the names of api_keys (" + quotedNames(configured) +
			"), as in \"<account>/<id>\", or set the identity's account."
	case accountInList:
		detail = "The list block's accounts names \"\", the provider's default account, and " + unset + ". List " +
			"the names of api_keys (" + quotedNames(configured) + ") instead, or set api_key."
	default:
		detail = "This needs the provider's default account, and " + unset + ". Set account to one of the names " +
			"of api_keys (" + quotedNames(configured) + "), or set api_key for the default account."
	}
	diags.AddAttributeError(attr, "Missing Glossi API Key", detail)
}

// quotedNames renders ["a", "b"] as `"a", "b"`.
func quotedNames(names []string) string {
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = fmt.Sprintf("%q", name)
	}
	return strings.Join(quoted, ", ")
}

// addProbeFailure reports each way the receiver at url failed the glossi_webhook_probe action.
// url shows without its credentials and query, which may hold a token.
func addProbeFailure(diags *diag.Diagnostics, url string, r probe.Result) {
	url = glossi.RedactURL(url)
	if r.Err != nil {
		diags.AddError("Glossi Webhook Receiver Unreachable",
			fmt.Sprintf("The probe of %s failed: %s. Check that the receiver is running and that url is the "+
				"address Glossi delivers to, then run the action again.", url, r.Err))
		return
	}
	if !r.SignatureAccepted() {
		diags.AddError("Glossi Webhook Receiver Did Not Accept the Signed Probe",
			fmt.Sprintf("The receiver at %s answered the delivery signed with secret with status %d, not a 2xx, so "+
				"Glossi would count its deliveries as failed. A 401 or 403 means the receiver verifies with another "+
				"secret: check that it has the webhook's current secret (glossi_webhook.<name>.secret, which changes "+
				"when the webhook is updated or rotated). Another status means it fails to handle the delivery: "+
				"check its log.", url, r.SignedStatus))
	}
	if !r.ForgeryRejected() {
		diags.AddError("Glossi Webhook Receiver Accepted a Forged Probe",
			fmt.Sprintf("The receiver at %s answered a delivery with a forged signature with status %d instead of "+
				"401 or 403: it does not check the X-Glossi-Signature header, so anyone who knows its URL can send "+
				"it events. Verify every delivery with the webhook secret (the glossiwebhook package does it) and "+
				"refuse the ones that do not verify with 401.", url, r.ForgedStatus))
	}
}

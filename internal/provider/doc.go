// Package provider is the Terraform layer of the Glossi provider. All HTTP to the Glossi API
// lives in internal/glossi, and the probe's deliveries in internal/probe; this package turns
// Terraform requests into client calls and the answers into state and diagnostics. Each file
// owns one thing:
//
// # The provider and its accounts
//
//   - provider.go: the provider's schema and Configure: the configuration every account's client
//     shares (base URL, retries, timeout), and the account keys from api_key, api_keys and
//     GLOSSI_API_KEY.
//   - accounts.go: one API client per account, each masking every configured key; clientFor, the
//     client of the account a resource, data source or list names, or its refusal with the
//     nearest configured name.
//   - base_url.go: the base URL's rules: no API key in clear text to another machine, and a
//     warning for a path that is not the API's root.
//   - logging.go: the client's log entries sent to tflog, and the masks of a request's log lines.
//   - diagnostics.go: the wording of every diagnostic.
//   - validators.go: the attribute validators: URL, duration, and event name, which names the
//     nearest known event for a typo.
//
// # The glossi_webhook resource
//
//   - webhook_resource.go: its schema and the methods the framework calls; Create, Read, Update
//     and Delete get their account's client (clientFor) and pass it to the helpers below.
//   - webhook_resource_model.go: its attributes as Go values, and what a PUT sends from them.
//   - webhook_lifecycle.go: what Terraform knows of the webhook beyond its attributes, moved only
//     along the transition table that testdata/lifecycle_table.txt shows; the one owner of private
//     state, which also reads the keys of earlier builds.
//   - webhook_resource_read.go: the three ways Read refreshes, as the lifecycle says: after a
//     create whose outcome is unknown, right after an import, and the ordinary refresh.
//   - webhook_resource_answer.go: an API answer turned into state, and compared with the plan
//     (the one answer to "are these the same settings?").
//   - webhook_resource_guard.go: the guards that keep Terraform from taking over or deleting a
//     webhook that is not its own.
//   - webhook_resource_secret.go: the secret's carry-over, version and rotation, the plan of a new
//     one when the lifecycle says the stored one may be stale or the recipients change, and
//     whether an update sends a PUT at all.
//   - webhook_resource_encryption.go: the secret encrypted to secret_recipients, and the form a
//     plan says it is stored in.
//   - webhook_resource_warnings.go: the plan's warnings about a configuration that works but is
//     risky.
//   - webhook_resource_account.go: the account attribute, the planned account's client, and the
//     refusal of an import into another account.
//   - webhook_resource_identity.go: the identity (account and id), and the import by
//     <account>/<id>, <id> or identity, which the lifecycle records for the Read that follows.
//
// # Reading webhooks
//
//   - webhook_data_source.go: the glossi_webhook data source.
//   - webhook_list_resource.go: the glossi_webhook list resource for terraform query (Terraform
//     1.14+), reading the accounts concurrently.
//
// # glossi_webhook_probe: a signed and a forged delivery sent to a receiver, with no API key
//
//   - webhook_probe_schema.go: the arguments, results and run that the next two share.
//   - webhook_probe_data_source.go: the probe as a data source.
//   - webhook_probe_ephemeral.go: the probe as an ephemeral resource (Terraform 1.10+).
//   - webhook_probe_action.go: the probe as an action (Terraform 1.14+).
//
// # Provider functions (Terraform 1.8+)
//
//   - function_sign.go, function_verify.go and function_fingerprint.go: sign, verify and
//     fingerprint, with glossiwebhook's rules.
//   - function_params.go: the parameters they share, and the check of a secret argument.
//
// # Tests
//
// A source file's tests are in the test file named after it, named Test<Subject>_<behaviour>;
// those that need a newer CLI are in a sibling named for its build tag (_latest: terraformlatest,
// _opentofu: opentofu, _latest_or_opentofu: either). The tests of the examples as written are in
// examples_test.go and its siblings. The lifecycle's are in webhook_lifecycle_test.go, a test per
// cell of its table, named TestLifecycle_<step>_from<state>, which lifecycleCellTests lists.
//
// The tests run the provider through the real terraform CLI against internal/sandbox, each
// harness in a file: plugintesting_test.go (terraform-plugin-testing); cli_test.go (the provider
// binary under dev_overrides, for what plugin-testing cannot show: warnings, the CLI's own
// output, examples/ and `terraform test`); resourcecall_test.go (the resource's methods called in
// process, where a terraform run would show no more). testenv_test.go is what they run against:
// a sandbox per test, its accounts, the shared configurations. doc_test.go holds this comment to
// the package's files.
package provider

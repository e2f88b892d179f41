// Package provider is the Terraform layer of the Glossi provider. All HTTP to the Glossi API
// lives in internal/glossi; this package turns Terraform requests into client calls and the
// API's answers into state and diagnostics. It holds, a file or a group of files each:
//
//   - the provider (provider.go): its schema, the API key and base URL from configuration or
//     the environment, and the HTTP transport and base-URL rules (provider_transport.go);
//   - the glossi_webhook resource (webhook_resource.go), with the API's answers compared to the
//     plan (webhook_resource_answer.go), the guard against a webhook replaced outside Terraform
//     (webhook_resource_guard.go), the secret's carry-over, rotation and uncertain outcomes
//     (webhook_resource_secret.go), its encryption to secret_recipients and the plan of a
//     change of recipients (webhook_resource_encryption.go) and the plan's warnings
//     (webhook_resource_warnings.go);
//   - the resource's lifecycle (webhook_lifecycle.go): what Terraform knows of the webhook beyond
//     its attributes, as a transition table, and the one owner of private state, which also
//     reads the keys of earlier builds;
//   - the accounts (accounts.go): one API client per key of api_key and api_keys, each masking
//     every key, and the account a resource, data source or list names, refused with the nearest
//     configured name (webhook_resource_account.go), including an import into another account;
//     the resource's identity and import by <account>/<id> or identity (webhook_resource_identity.go);
//   - the glossi_webhook list resource for terraform query, reading the accounts concurrently
//     (webhook_list_resource.go), and the
//     glossi_webhook_probe action (webhook_probe_action.go), Terraform 1.14+;
//   - the glossi_webhook data source (webhook_data_source.go), and glossi_webhook_probe, which
//     sends a receiver a signed and a forged delivery, as a data source
//     (webhook_probe_data_source.go) and as an ephemeral resource, Terraform 1.10+
//     (webhook_probe_ephemeral.go), with the arguments, results and run they share
//     (webhook_probe_schema.go);
//   - the provider functions sign, verify and fingerprint (function_*.go);
//   - the attribute validators: URL, duration and event name, which names the nearest known
//     event for a typo, as the accounts do for an account name (validators.go);
//   - every diagnostic's wording, in one file (diagnostics.go), and the client's log entries
//     sent to tflog with every key masked (logging.go).
//
// The tests run the provider through the real terraform CLI against internal/sandbox: with
// terraform-plugin-testing, and, for what it cannot show (warnings, the CLI's own output,
// examples/ and `terraform test`), with the provider binary under dev_overrides (cli_test.go).
package provider

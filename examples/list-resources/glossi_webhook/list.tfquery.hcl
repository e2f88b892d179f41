# Every account of the provider (api_key and each of api_keys) that has a webhook.
# `terraform query` prints them; `terraform query -generate-config-out=webhooks.tf`
# writes a resource block and an import block for each, with account set.
list "glossi_webhook" "all" {
  provider         = glossi
  include_resource = true
}

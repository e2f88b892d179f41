# OpenTofu v1.9+: one provider configuration per Glossi account, and one webhook in each.
terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }
}

variable "receiver_urls" {
  description = "The receiver URL of each Glossi account, by account name."
  type        = map(string)
}

variable "api_keys" {
  description = "The API key of each Glossi account, by the same names."
  type        = map(string)
  sensitive   = true
}

provider "glossi" {
  alias    = "account"
  for_each = var.receiver_urls
  api_key  = var.api_keys[each.key]
}

resource "glossi_webhook" "main" {
  for_each = var.receiver_urls
  provider = glossi.account[each.key]

  url         = each.value
  events      = ["model.processed", "render.complete"]
  description = "Webhook of ${each.key}"
}

output "webhook_ids" {
  value = { for name, webhook in glossi_webhook.main : name => webhook.id }
}

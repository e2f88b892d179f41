terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }
}

# One API key per account, by name. Set it outside the configuration, e.g.
#   export TF_VAR_glossi_api_keys='{"production":"...","staging":"..."}'
# Ephemeral (Terraform 1.10+, OpenTofu 1.11+): kept out of state and of saved
# plan files, so `terraform apply tfplan` needs TF_VAR_glossi_api_keys again.
variable "glossi_api_keys" {
  type      = map(string)
  sensitive = true
  ephemeral = true
}

variable "receiver_urls" {
  description = "The receiver of each account, by account name."
  type        = map(string)
}

# One provider block serves every account, in one plugin process.
provider "glossi" {
  api_keys = var.glossi_api_keys
}

resource "glossi_webhook" "account" {
  for_each = var.receiver_urls

  account = each.key
  url     = each.value
  events  = ["render.complete", "render.failed"]
}

# The data source reads any configured account too.
data "glossi_webhook" "staging" {
  account    = "staging"
  depends_on = [glossi_webhook.account]
}

output "staging_failures" {
  value = data.glossi_webhook.staging.failure_count
}

# Terraform 1.6+ and OpenTofu: import the account's webhook
# without writing its resource block. Run
#   terraform plan -generate-config-out=generated.tf
# to have the block written from the webhook as the API returns it, then apply.
#
# The import block names an aliased provider configuration. Terraform 1.16.0
# takes an import block without a provider argument, when there is no resource
# block, for hashicorp/glossi (hashicorp/terraform#39144), and only an alias is
# copied into the generated block, which must name the same configuration as
# the import block. Give the alias the arguments of your default provider
# block, if it has any.
provider "glossi" {
  alias = "import"
}

data "glossi_webhook" "current" {}

import {
  provider = glossi.import
  to       = glossi_webhook.main
  id       = data.glossi_webhook.current.id
}

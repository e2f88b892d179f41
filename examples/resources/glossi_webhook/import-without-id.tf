# Terraform 1.6+ and OpenTofu: import the account's webhook without looking up its id.
# An account has one webhook, so the glossi_webhook data source finds it.
data "glossi_webhook" "current" {}

import {
  to = glossi_webhook.main
  id = data.glossi_webhook.current.id
}

resource "glossi_webhook" "main" {
  url     = "https://hooks.example.com/glossi"
  events  = ["model.processed", "render.complete"]
  enabled = true
}

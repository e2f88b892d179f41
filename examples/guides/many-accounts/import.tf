# Import the webhook of another account by its identity (Terraform 1.12 and
# later, OpenTofu 1.12 and later). With `terraform import`, the same import is:
#   terraform import glossi_webhook.staging staging/5b2a8f0e-3c1d-4e7a-9f6b-2d8c4a1e7b90
import {
  to = glossi_webhook.staging
  identity = {
    account = "staging"
    id      = "5b2a8f0e-3c1d-4e7a-9f6b-2d8c4a1e7b90"
  }
}

resource "glossi_webhook" "staging" {
  account = "staging"
  url     = "https://hooks.example.com/staging"
  events  = ["render.complete", "render.failed"]
}

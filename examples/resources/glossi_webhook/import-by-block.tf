# Terraform 1.5 and later: import the account's webhook by its id during plan
# and apply. The configuration must describe the webhook as it is.
import {
  to = glossi_webhook.main
  id = "5b2a8f0e-3c1d-4e7a-9f6b-2d8c4a1e7b90"
}

resource "glossi_webhook" "main" {
  url = "https://hooks.example.com/glossi"
  events = [
    "model.processed",
    "model.failed",
    "project.created",
    "job.complete",
    "job.failed",
    "render.complete",
    "render.failed",
  ]
  enabled     = true
  description = "Production webhook"
}

# The configuration `make demo` applies against a local glossi-sandbox: one
# webhook pointing at the example receiver, its secret in a sensitive output,
# and the delivery health read back through the data source.
#
# The provider reads GLOSSI_BASE_URL and GLOSSI_API_KEY from the environment;
# the demo points them at the sandbox.

terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }
}

variable "receiver_url" {
  description = "Where the sandbox delivers events: the example receiver."
  type        = string
}

variable "secret_rotation" {
  description = "Change this value to rotate the webhook's signing secret."
  type        = string
  default     = "1"
}

provider "glossi" {}

resource "glossi_webhook" "demo" {
  url         = var.receiver_url
  events      = ["model.processed", "model.failed", "project.created", "job.complete", "job.failed", "render.complete", "render.failed"]
  description = "make demo: the example receiver"

  rotate_secret_triggers = {
    rotation = var.secret_rotation
  }
}

data "glossi_webhook" "demo" {
  depends_on = [glossi_webhook.demo]
}

output "webhook_id" {
  value = glossi_webhook.demo.id
}

output "webhook_url" {
  value = glossi_webhook.demo.url
}

output "webhook_secret" {
  description = "Give this to the receiver as GLOSSI_WEBHOOK_SECRET."
  value       = glossi_webhook.demo.secret
  sensitive   = true
}

output "previous_secret" {
  description = "The secret the last rotation replaced: the receiver accepts it for an hour after secret_rotated_at."
  value       = glossi_webhook.demo.previous_secret
  sensitive   = true
}

output "secret_rotated_at" {
  value = glossi_webhook.demo.secret_rotated_at
}

output "secret_version" {
  value = glossi_webhook.demo.secret_version
}

output "secret_fingerprint" {
  value = glossi_webhook.demo.secret_fingerprint
}

output "failure_count" {
  value = data.glossi_webhook.demo.failure_count
}

output "last_response_status" {
  value = data.glossi_webhook.demo.last_response_status
}

output "last_triggered_at" {
  value = data.glossi_webhook.demo.last_triggered_at
}

variable "receiver_url" {
  type = string
}

resource "glossi_webhook" "main" {
  url    = var.receiver_url
  events = ["model.processed", "render.complete"]
}

# Probe the receiver with the webhook's secret in every plan and apply once the webhook exists,
# and fail unless it accepts the signed delivery and refuses the forged one. Nothing of it,
# the secret included, is kept in state or plan.
ephemeral "glossi_webhook_probe" "receiver" {
  url     = glossi_webhook.main.url
  secret  = glossi_webhook.main.secret
  timeout = "5s"

  lifecycle {
    postcondition {
      condition     = self.signature_accepted && self.forgery_rejected
      error_message = "The receiver did not accept the signed probe and refuse the forged one: check its secret, and that it verifies X-Glossi-Signature."
    }
  }
}

variable "receiver_url" {
  type = string
}

resource "glossi_webhook" "main" {
  url    = var.receiver_url
  events = ["model.processed", "render.complete"]
}

# On every plan and apply, probe the receiver with the webhook's secret. A failing assertion is
# a warning: it never blocks the apply.
check "receiver_verifies_signatures" {
  data "glossi_webhook_probe" "receiver" {
    url    = glossi_webhook.main.url
    secret = glossi_webhook.main.secret
  }

  assert {
    condition     = data.glossi_webhook_probe.receiver.signature_accepted
    error_message = "The receiver refused a delivery signed with the webhook's secret (status ${coalesce(data.glossi_webhook_probe.receiver.signed_status, 0)}${data.glossi_webhook_probe.receiver.error == null ? "" : ": ${data.glossi_webhook_probe.receiver.error}"}): give it the current secret."
  }

  assert {
    condition     = data.glossi_webhook_probe.receiver.forgery_rejected
    error_message = "The receiver did not refuse a delivery with a forged signature (status ${coalesce(data.glossi_webhook_probe.receiver.forged_status, 0)}): it must verify X-Glossi-Signature and answer 401."
  }
}

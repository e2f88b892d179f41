variable "receiver_url" {
  type = string
}

variable "receiver_secret" {
  type      = string
  sensitive = true
}

data "glossi_webhook_probe" "receiver" {
  url     = var.receiver_url
  secret  = var.receiver_secret
  timeout = "5s"
}

output "receiver_checks" {
  value = {
    signature_accepted = data.glossi_webhook_probe.receiver.signature_accepted
    forgery_rejected   = data.glossi_webhook_probe.receiver.forgery_rejected
    signed_status      = data.glossi_webhook_probe.receiver.signed_status
    forged_status      = data.glossi_webhook_probe.receiver.forged_status
    latency_ms         = data.glossi_webhook_probe.receiver.latency_ms
    error              = data.glossi_webhook_probe.receiver.error
  }
}

# The X-Glossi-Signature value of a body, for a signed test delivery.
locals {
  test_body = jsonencode({
    event     = "model.processed"
    timestamp = "2026-01-02T03:04:05.000Z"
    data      = { modelId = "m_123" }
  })
}

output "test_delivery_signature" {
  value     = provider::glossi::sign(local.test_body, glossi_webhook.main.secret)
  sensitive = true
}

# Check that the secret a receiver is configured with is the one in state, without showing either.
check "receiver_has_current_secret" {
  assert {
    condition = (
      provider::glossi::fingerprint(var.receiver_secret) == glossi_webhook.main.secret_fingerprint
    )
    error_message = "The receiver's secret is not the webhook's current secret: deliveries will be refused."
  }
}

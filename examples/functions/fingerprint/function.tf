# Check that the secret a receiver is configured with is the one in state, without showing either.
check "receiver_has_current_secret" {
  assert {
    condition = (
      provider::glossi::fingerprint(var.receiver_secret) == glossi_webhook.main.secret_fingerprint
    )
    error_message = "The receiver's secret is not the webhook's current secret: deliveries will be refused."
  }
}

# The result is sensitive when the secret is, like any function's result. A fingerprint does not
# reveal the secret, so nonsensitive() may show it.
output "receiver_secret_fingerprint" {
  value = nonsensitive(provider::glossi::fingerprint(var.receiver_secret))
}

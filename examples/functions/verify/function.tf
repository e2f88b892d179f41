# true when the signature was made with the secret over these exact bytes.
output "signature_is_valid" {
  value = provider::glossi::verify(
    var.delivery_body,
    var.delivery_signature,
    glossi_webhook.main.secret,
  )
  sensitive = true
}

# With secret_recipients set: store the encrypted secrets in AWS Secrets
# Manager for a receiver that holds an age identity and decrypts them
# (glossiwebhook/agesecret in Go, `age -d -i identity.txt` elsewhere). Neither
# this resource's state nor the glossi_webhook's holds the secret in plaintext.
# secret_ciphertext changes only when the secret or secret_recipients change;
# secret_version changes only with the secret itself.
resource "aws_secretsmanager_secret" "glossi_webhook" {
  name        = "glossi/webhook-secret-ciphertext"
  description = "Signing secret of the Glossi webhook, age-encrypted to the receiver"
}

resource "aws_secretsmanager_secret_version" "glossi_webhook" {
  secret_id = aws_secretsmanager_secret.glossi_webhook.id
  secret_string = jsonencode({
    secret_ciphertext          = glossi_webhook.main.secret_ciphertext
    previous_secret_ciphertext = glossi_webhook.main.previous_secret_ciphertext
    secret_rotated_at          = glossi_webhook.main.secret_rotated_at
  })
}

# Store the signing secret in AWS Secrets Manager, where the receiver (a
# Lambda function, an ECS task...) reads it at start-up. The write-only
# secret_string_wo keeps this copy out of the Terraform state; it is written
# when secret_string_wo_version changes, and secret_version changes exactly
# when the stored secret does. Needs Terraform >= 1.11 and hashicorp/aws
# >= 5.88.0.
resource "aws_secretsmanager_secret" "glossi_webhook" {
  name        = "glossi/webhook-secret"
  description = "Signing secret of the Glossi webhook (X-Glossi-Signature)"
}

resource "aws_secretsmanager_secret_version" "glossi_webhook" {
  secret_id = aws_secretsmanager_secret.glossi_webhook.id
  # The previous secret and the rotation time let the receiver accept
  # Glossi's retries of deliveries signed before a rotation.
  secret_string_wo = jsonencode({
    secret            = glossi_webhook.main.secret
    previous_secret   = glossi_webhook.main.previous_secret
    secret_rotated_at = glossi_webhook.main.secret_rotated_at
  })
  secret_string_wo_version = glossi_webhook.main.secret_version
}

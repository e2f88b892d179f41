# Store the signing secret in AWS Secrets Manager, where the receiver (a
# Lambda function, an ECS task...) reads it at start-up.
resource "aws_secretsmanager_secret" "glossi_webhook" {
  name        = "glossi/webhook-secret"
  description = "Signing secret of the Glossi webhook (X-Glossi-Signature)"
}

resource "aws_secretsmanager_secret_version" "glossi_webhook" {
  secret_id     = aws_secretsmanager_secret.glossi_webhook.id
  secret_string = glossi_webhook.main.secret
}

# Give the receiver's deployment workflow the signing secret as
# secrets.GLOSSI_WEBHOOK_SECRET.
resource "github_actions_secret" "glossi_webhook" {
  repository      = "webhook-receiver"
  secret_name     = "GLOSSI_WEBHOOK_SECRET"
  plaintext_value = glossi_webhook.main.secret
}

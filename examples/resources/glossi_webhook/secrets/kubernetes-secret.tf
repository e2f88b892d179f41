# Expose the signing secret to the receiver's pods as GLOSSI_WEBHOOK_SECRET
# (reference it with env.valueFrom.secretKeyRef or envFrom.secretRef). The
# write-only data_wo keeps this copy out of the Terraform state; it is written
# when data_wo_revision changes, and secret_version changes exactly when the
# stored secret does. Needs Terraform >= 1.11 and hashicorp/kubernetes
# >= 2.36.0.
resource "kubernetes_secret_v1" "glossi_webhook" {
  metadata {
    name      = "glossi-webhook"
    namespace = "webhooks"
  }

  data_wo = {
    GLOSSI_WEBHOOK_SECRET = glossi_webhook.main.secret
    # Accept Glossi's retries of deliveries signed before a rotation.
    GLOSSI_WEBHOOK_PREVIOUS_SECRET   = glossi_webhook.main.previous_secret == null ? "" : glossi_webhook.main.previous_secret
    GLOSSI_WEBHOOK_SECRET_ROTATED_AT = glossi_webhook.main.secret_rotated_at == null ? "" : glossi_webhook.main.secret_rotated_at
  }
  data_wo_revision = glossi_webhook.main.secret_version
}

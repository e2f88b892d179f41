# Expose the signing secret to the receiver's pods as GLOSSI_WEBHOOK_SECRET
# (reference it with env.valueFrom.secretKeyRef or envFrom.secretRef).
resource "kubernetes_secret_v1" "glossi_webhook" {
  metadata {
    name      = "glossi-webhook"
    namespace = "webhooks"
  }

  data = {
    GLOSSI_WEBHOOK_SECRET = glossi_webhook.main.secret
  }
}

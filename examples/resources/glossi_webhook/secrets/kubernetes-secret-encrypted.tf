# With secret_recipients set: mount the encrypted secrets as files for the
# example receiver, `receiver --secret-dir /etc/glossi-webhook
# --secret-age-identity /etc/glossi-identity/identity.txt`, which reloads them
# when they change. The identity comes from another Secret that this
# configuration does not manage, so Terraform never sees it.
resource "kubernetes_secret_v1" "glossi_webhook" {
  metadata {
    name      = "glossi-webhook"
    namespace = "webhooks"
  }

  data = {
    secret_ciphertext          = glossi_webhook.main.secret_ciphertext
    previous_secret_ciphertext = glossi_webhook.main.previous_secret_ciphertext == null ? "" : glossi_webhook.main.previous_secret_ciphertext
    secret_rotated_at          = glossi_webhook.main.secret_rotated_at == null ? "" : glossi_webhook.main.secret_rotated_at
  }
}

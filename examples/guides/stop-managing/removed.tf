# Stop managing the webhook without deleting it (Terraform v1.7+ and OpenTofu): replace the
# resource block with this one and apply. The webhook, its URL and its secret stay in the Glossi
# account; only Terraform's state forgets them.
removed {
  from = glossi_webhook.main

  lifecycle {
    destroy = false
  }
}

# After each create and update of the webhook, check that the receiver accepts a
# delivery signed with the new secret and refuses a forged one; the apply fails
# otherwise. Run the check alone with:
#   terraform apply -invoke=action.glossi_webhook_probe.main
resource "glossi_webhook" "main" {
  url    = "https://hooks.example.com/glossi"
  events = ["render.complete", "render.failed"]

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.glossi_webhook_probe.main]
    }
  }
}

action "glossi_webhook_probe" "main" {
  config {
    url = glossi_webhook.main.url
    # A reference to the sensitive secret, never a literal: action arguments
    # cannot be marked sensitive, so a literal would show in the plan.
    secret  = glossi_webhook.main.secret
    timeout = "5s"
  }
}

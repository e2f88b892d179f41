# The API returns the secret only when the webhook is created or updated.
# Change a value in rotate_secret_triggers to make the next apply update the
# webhook and store the secret the API returns: to get a secret after an
# import, or to rotate it on a schedule.
resource "glossi_webhook" "main" {
  url    = "https://hooks.example.com/glossi"
  events = ["render.complete", "render.failed"]

  rotate_secret_triggers = {
    rotation = "2025-01"
  }
}

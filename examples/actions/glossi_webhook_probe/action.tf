# Terraform 1.14 and later. Once the receiver has the webhook's secret, check
# that it accepts a delivery signed with that secret and refuses a forged one;
# the apply fails otherwise. Run the check alone, at any time, with:
#   terraform apply -invoke=action.glossi_webhook_probe.main
variable "receiver_url" {
  description = "The receiver's URL (the example receiver prints it when it starts)."
  type        = string
}

variable "receiver_secret_dir" {
  description = "The folder the receiver reads the webhook's secrets from (the example receiver's --secret-dir)."
  type        = string
}

resource "glossi_webhook" "main" {
  url    = var.receiver_url
  events = ["render.complete", "render.failed"]
}

# Gives the receiver the webhook's secrets: here the files the example receiver
# reads from --secret-dir; for your receiver, the resource that writes them to
# its secrets manager or Kubernetes Secret. It is replaced whenever the URL or
# the secret changes, and once it is done it runs the probe: a probe triggered
# by the webhook itself would run before the receiver could know the secret.
resource "terraform_data" "receiver_secret" {
  triggers_replace = [glossi_webhook.main.url, glossi_webhook.main.secret_version]

  provisioner "local-exec" {
    # Each file written whole (a new file renamed into place), then the time the
    # example receiver takes to load them: it looks every second.
    command = <<-EOT
      write() { printf '%s\n' "$2" >"$DIR/.$1" && mv "$DIR/.$1" "$DIR/$1"; }
      write secret "$SECRET" &&
        write previous_secret "$PREVIOUS_SECRET" &&
        write secret_rotated_at "$SECRET_ROTATED_AT" &&
        sleep 3
    EOT
    environment = {
      DIR               = var.receiver_secret_dir
      SECRET            = glossi_webhook.main.secret
      PREVIOUS_SECRET   = glossi_webhook.main.previous_secret # null until the first rotation
      SECRET_ROTATED_AT = glossi_webhook.main.secret_rotated_at
    }
  }

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.glossi_webhook_probe.main]
    }
  }
}

# The config names the webhook, never the resource that triggers the action:
# Terraform 1.16 refuses that reference in `terraform apply -invoke`.
action "glossi_webhook_probe" "main" {
  config {
    url = glossi_webhook.main.url
    # A reference to the sensitive secret, never a literal: action arguments
    # cannot be marked sensitive, so a literal would show in the plan.
    secret  = glossi_webhook.main.secret
    timeout = "5s"
  }
}

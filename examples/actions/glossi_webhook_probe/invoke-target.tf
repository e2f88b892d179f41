# Terraform 1.16 and later: one probe action for the receivers of several
# accounts. Each account's secret delivery triggers the probe of its own
# receiver, which the action finds through `caller`, the resource that
# triggered it. Probe every receiver by hand, or one with -target:
#   terraform apply -invoke=action.glossi_webhook_probe.receiver
#   terraform apply -invoke=action.glossi_webhook_probe.receiver \
#     -target='terraform_data.receiver_secret["staging"]'
variable "receivers" {
  description = "Per account (a name of the provider's api_keys): the receiver's URL, and the folder it reads the webhook's secrets from (the example receiver's --secret-dir)."
  type = map(object({
    url        = string
    secret_dir = string
  }))
}

resource "glossi_webhook" "account" {
  for_each = var.receivers

  account = each.key
  url     = each.value.url
  events  = ["render.complete", "render.failed"]
}

# Gives each receiver its webhook's secrets, as in action.tf, then probes it.
resource "terraform_data" "receiver_secret" {
  for_each = glossi_webhook.account

  input            = each.key # the account, for the action to find its webhook
  triggers_replace = [each.value.url, each.value.secret_version]

  provisioner "local-exec" {
    command = <<-EOT
      write() { printf '%s\n' "$2" >"$DIR/.$1" && mv "$DIR/.$1" "$DIR/$1"; }
      write secret "$SECRET" &&
        write previous_secret "$PREVIOUS_SECRET" &&
        write secret_rotated_at "$SECRET_ROTATED_AT" &&
        sleep 3
    EOT
    environment = {
      DIR               = var.receivers[each.key].secret_dir
      SECRET            = each.value.secret
      PREVIOUS_SECRET   = each.value.previous_secret
      SECRET_ROTATED_AT = each.value.secret_rotated_at
    }
  }

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.glossi_webhook_probe.receiver]
    }
  }
}

# caller.output is the account: the URL and the (sensitive) secret come from
# its webhook.
action "glossi_webhook_probe" "receiver" {
  config {
    url    = glossi_webhook.account[caller.output].url
    secret = glossi_webhook.account[caller.output].secret
  }
}

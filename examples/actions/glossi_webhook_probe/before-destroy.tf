# Terraform 1.16 and later. The receiver answers at a stable URL (behind a load
# balancer or a DNS name), and a new version of it replaces the resource that
# runs it, the new version created first. Before Terraform destroys the old
# version, probe the URL: if the receiver now answering there refuses
# deliveries signed with the webhook's secret, the apply fails before the
# destroy, and the old version keeps running. Fix the new version before the
# next apply: Terraform 1.16.0 destroys the left-over old version then without
# running the action again.
variable "receiver_url" {
  description = "The URL the receiver answers at, whatever its version."
  type        = string
}

variable "receiver_version" {
  description = "The receiver's version: changing it deploys a new one."
  type        = string
}

resource "glossi_webhook" "main" {
  url    = var.receiver_url
  events = ["render.complete", "render.failed"]
}

# Stands for the resource that runs your receiver (a container service, a
# function), which reads the webhook's secret from where you deliver it (see
# action.tf). Here it only records the version.
resource "terraform_data" "receiver" {
  triggers_replace = var.receiver_version

  lifecycle {
    create_before_destroy = true

    action_trigger {
      events     = [before_destroy]
      actions    = [action.glossi_webhook_probe.main]
      on_failure = halt # the default, written out: a refused probe stops the destroy
    }
  }
}

action "glossi_webhook_probe" "main" {
  config {
    url    = glossi_webhook.main.url
    secret = glossi_webhook.main.secret
  }
}

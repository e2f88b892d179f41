# A module that configures a webhook receiver: the environment it runs with, and a signed
# fixture its own tests can replay. tests/receiver.tftest.hcl checks it with `terraform test`.
terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }
}

variable "webhook_secret" {
  description = "The webhook's signing secret, such as glossi_webhook.main.secret."
  type        = string
  sensitive   = true
}

locals {
  fixture = file("${path.module}/fixtures/model-processed.json")
}

output "receiver_environment" {
  value = {
    GLOSSI_WEBHOOK_SECRET = var.webhook_secret
  }
  sensitive = true
}

output "secret_fingerprint" {
  description = "Safe to show: identifies the secret without revealing it."
  value       = nonsensitive(provider::glossi::fingerprint(var.webhook_secret))
}

output "fixture_body" {
  value = local.fixture
}

output "fixture_checks" {
  description = "What a receiver holding the secret concludes about the fixture, a tampered copy, and the fixture under another secret."
  value = {
    verifies              = nonsensitive(provider::glossi::verify(local.fixture, provider::glossi::sign(local.fixture, var.webhook_secret), var.webhook_secret))
    tampered_verifies     = nonsensitive(provider::glossi::verify(replace(local.fixture, "ready", "failed"), provider::glossi::sign(local.fixture, var.webhook_secret), var.webhook_secret))
    other_secret_verifies = nonsensitive(provider::glossi::verify(local.fixture, provider::glossi::sign(local.fixture, "whsec_another_secret"), var.webhook_secret))
  }
}

output "fixture_signature" {
  description = "The X-Glossi-Signature header to replay the fixture with."
  value       = provider::glossi::sign(local.fixture, var.webhook_secret)
  sensitive   = true
}

# OpenTofu v1.8+ (v1.7 without variables): encrypt the state and plan files, so the webhook secret stored in them is
# unreadable without the passphrase (or the KMS key of another key_provider).
terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }

  encryption {
    key_provider "pbkdf2" "main" {
      passphrase = var.state_passphrase
    }

    method "aes_gcm" "main" {
      keys = key_provider.pbkdf2.main
    }

    state {
      method   = method.aes_gcm.main
      enforced = true
    }

    plan {
      method   = method.aes_gcm.main
      enforced = true
    }
  }
}

variable "state_passphrase" {
  description = "At least 16 characters; keep it out of the repository (TF_VAR_state_passphrase)."
  type        = string
  sensitive   = true
}

resource "glossi_webhook" "main" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed", "render.complete"]
}

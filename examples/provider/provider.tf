terraform {
  required_providers {
    glossi = {
      source = "glossi/glossi"
    }
  }
}

# The API key comes from the GLOSSI_API_KEY environment variable, so it never
# appears in the configuration or in version control.
provider "glossi" {
  # api_key         = var.glossi_api_key                 # or GLOSSI_API_KEY
  # base_url        = "https://api.glossi.app/api/v1"    # or GLOSSI_BASE_URL
  # max_retries     = 3
  # request_timeout = "30s"
}

# The account's one webhook.
resource "glossi_webhook" "main" {
  url         = "https://hooks.example.com/glossi"
  events      = ["model.processed", "model.failed", "render.complete", "render.failed"]
  description = "Managed by Terraform"
}

# Feed the signing secret to whatever verifies deliveries (see the resource's
# documentation for AWS Secrets Manager, Kubernetes and GitHub Actions).
output "webhook_secret" {
  value     = glossi_webhook.main.secret
  sensitive = true
}

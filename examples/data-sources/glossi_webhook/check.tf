variable "max_webhook_failures" {
  description = "How many failed deliveries (after all retries) to tolerate before warning."
  type        = number
  default     = 0
}

# A check block warns on every plan and apply; it never blocks them.
check "glossi_webhook_health" {
  data "glossi_webhook" "health" {}

  assert {
    condition     = data.glossi_webhook.health.failure_count <= var.max_webhook_failures
    error_message = "The Glossi webhook has ${data.glossi_webhook.health.failure_count} failed deliveries (more than ${var.max_webhook_failures}): check that ${data.glossi_webhook.health.url} is up."
  }

  assert {
    # Before the first delivery last_triggered_at is null. After one, a null
    # last_response_status means the last attempt got no HTTP answer at all
    # (receiver down, connection refused, timeout): coalesce makes it 0.
    condition     = data.glossi_webhook.health.last_triggered_at == null || (coalesce(data.glossi_webhook.health.last_response_status, 0) >= 200 && coalesce(data.glossi_webhook.health.last_response_status, 0) < 300)
    error_message = "The last Glossi delivery to ${data.glossi_webhook.health.url} was answered with HTTP ${coalesce(data.glossi_webhook.health.last_response_status, 0)}, not 2xx (0: no answer, the receiver was unreachable or timed out)."
  }
}

data "glossi_webhook" "current" {}

output "webhook_health" {
  value = {
    url                  = data.glossi_webhook.current.url
    enabled              = data.glossi_webhook.current.enabled
    last_triggered_at    = data.glossi_webhook.current.last_triggered_at
    last_response_status = data.glossi_webhook.current.last_response_status
    failure_count        = data.glossi_webhook.current.failure_count
  }
}

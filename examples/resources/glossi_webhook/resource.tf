resource "glossi_webhook" "main" {
  url = "https://hooks.example.com/glossi"
  events = [
    "model.processed",
    "model.failed",
    "project.created",
    "job.complete",
    "job.failed",
    "render.complete",
    "render.failed",
  ]
  enabled     = true
  description = "Production webhook"
}

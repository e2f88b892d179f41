# A Glossi account has one webhook. Import it by the id that
# GET /api/v1/webhooks returns:
terraform import glossi_webhook.main 5b2a8f0e-3c1d-4e7a-9f6b-2d8c4a1e7b90

# Run with: terraform test (Terraform v1.8+ or OpenTofu v1.7+ for provider functions).
variables {
  webhook_secret = "whsec_test_0a1b2c3d"
}

run "fixture_is_signed_as_glossi_signs" {
  command = plan

  assert {
    condition     = provider::glossi::verify(output.fixture_body, output.fixture_signature, var.webhook_secret)
    error_message = "The fixture's signature does not verify with the webhook secret."
  }

  assert {
    condition     = output.fixture_signature == "5fb8f09e0dc703b2ba13243c3a57a5239cb30758389154969c8b099563da1d73"
    error_message = "The fixture's signature is not the HMAC-SHA256 Glossi sends."
  }

  assert {
    condition     = !provider::glossi::verify(output.fixture_body, output.fixture_signature, "whsec_another_secret")
    error_message = "The fixture's signature verifies with another secret."
  }
}

run "receiver_gets_the_webhook_secret" {
  command = plan

  assert {
    condition     = provider::glossi::fingerprint(output.receiver_environment.GLOSSI_WEBHOOK_SECRET) == output.secret_fingerprint
    error_message = "The receiver is not configured with the webhook's secret."
  }

  assert {
    condition     = output.secret_fingerprint == "dc79b1e2f6aeb21f"
    error_message = "The fingerprint is not the first 16 hex characters of the secret's SHA-256."
  }
}

run "a_tampered_fixture_is_refused" {
  command = plan

  assert {
    condition     = !provider::glossi::verify(replace(output.fixture_body, "ready", "failed"), output.fixture_signature, var.webhook_secret)
    error_message = "A changed body still verifies."
  }
}

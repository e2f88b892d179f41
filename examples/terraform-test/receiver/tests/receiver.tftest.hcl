# Run with: terraform test (Terraform v1.8+) or tofu test (OpenTofu v1.7+). The assertions
# compare outputs only: OpenTofu v1.12.6 crashes on a provider function called in a test
# file's assert, so the module calls the functions.
variables {
  webhook_secret = "whsec_test_0a1b2c3d"
}

run "fixture_is_signed_as_glossi_signs" {
  command = plan

  assert {
    condition     = output.fixture_signature == "5fb8f09e0dc703b2ba13243c3a57a5239cb30758389154969c8b099563da1d73"
    error_message = "The fixture's signature is not the HMAC-SHA256 Glossi sends."
  }

  assert {
    condition     = output.fixture_checks.verifies
    error_message = "The fixture's signature does not verify with the webhook secret."
  }
}

run "receiver_gets_the_webhook_secret" {
  command = plan

  assert {
    condition     = output.secret_fingerprint == "dc79b1e2f6aeb21f"
    error_message = "The fingerprint is not the first 16 hex characters of the secret's SHA-256."
  }
}

run "forgeries_are_refused" {
  command = plan

  assert {
    condition     = !output.fixture_checks.tampered_verifies
    error_message = "A changed body still verifies."
  }

  assert {
    condition     = !output.fixture_checks.other_secret_verifies
    error_message = "A signature made with another secret verifies."
  }
}

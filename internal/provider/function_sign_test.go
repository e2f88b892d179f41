package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// sign is the hex HMAC-SHA256 of the body with the secret, and fingerprint the first 16 hex
// characters of the secret's SHA-256, as crypto computes them: one run checks both, so
// function_fingerprint.go has no test file of its own.
func TestFunctions_signAndFingerprint(t *testing.T) {
	t.Parallel()
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsRequire,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: functionConfig(`
output "signature" {
  value     = provider::glossi::sign(local.body, local.secret)
  sensitive = true
}
output "fingerprint" {
  value = provider::glossi::fingerprint(local.secret)
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("signature", knownvalue.StringExact(hmacHex(functionTestBody, functionTestSecret))),
				statecheck.ExpectKnownOutputValue("fingerprint", knownvalue.StringExact(sha256Prefix(functionTestSecret))),
			},
		}},
	})
}

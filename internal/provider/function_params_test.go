package provider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

const (
	functionTestSecret = "whsec_fn_3b9d0c7a5e1f"
	functionTestBody   = `{"event":"model.processed","timestamp":"2026-01-02T03:04:05.000Z","data":{"modelId":"m_1"}}`
)

// The expected values are computed here with crypto/hmac and crypto/sha256, not with
// glossiwebhook, so that the functions are checked against the definition.
func hmacHex(body, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}

func sha256Prefix(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])[:16]
}

// functionsRequire fails, rather than skips, on a CLI without provider functions.
var functionsRequire = []tfversion.TerraformVersionCheck{tfversion.RequireAbove(tfversion.Version1_8_0)}

// functionConfig declares the provider without configuring it: functions need no API key.
func functionConfig(hcl string) string {
	return fmt.Sprintf(`
locals {
  body   = %q
  secret = %q
}
%s`, functionTestBody, functionTestSecret, hcl)
}

// The three functions refuse what is not a secret with one message, glossiwebhook's, in one run
// per value; a null secret (an imported webhook has none) gets the message of the empty one.
func TestFunctions_secretRule(t *testing.T) {
	t.Parallel()
	text := func(s string) *string { return &s }
	for name, c := range map[string]struct {
		hcl   string
		value *string
	}{
		"empty":            {`""`, text("")},
		"null":             {`null`, nil},
		"trailing newline": {`"${local.secret}\n"`, text(functionTestSecret + "\n")},
		"quoted":           {`"\"${local.secret}\""`, text(`"` + functionTestSecret + `"`)},
		"sensitive":        {`"<sensitive>"`, text("<sensitive>")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			refused := secretRefusal(t, c.value)
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   functionsRequire,
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: functionConfig(strings.ReplaceAll(`
output "sign" {
  value = provider::glossi::sign(local.body, SECRET)
}
output "verify" {
  value = provider::glossi::verify(local.body, "00", SECRET)
}
output "fingerprint" {
  value = provider::glossi::fingerprint(SECRET)
}
`, "SECRET", c.hcl)),
					ExpectError: expectWords(slices.Concat(refused, refused, refused)...),
				}},
			})
		})
	}
}

// secretRefusal is what a function says of a secret argument whose value is value (nil for null).
// OpenTofu 1.12 sends a null function argument with no data at all, so the framework refuses it
// before the function runs, with its own words (docs/guides/opentofu.md says so). Should a later
// OpenTofu send it as Terraform does, this fails and the exception can go.
func secretRefusal(t *testing.T, value *string) []string {
	t.Helper()
	const prefix = `Invalid value for "secret" parameter: `
	if value == nil && underOpenTofu {
		return []string{prefix + "Unable to Convert Function Argument", "DynamicValue had no JSON or msgpack data set"}
	}
	if value == nil {
		value = new(string)
	}
	return []string{prefix + secretRuleMessage(t, *value)}
}

// secretRuleMessage is glossiwebhook.CheckSecret's message for value, which every entry point
// (function, glossi_webhook_probe, example receiver, glossi-sandbox send) shows as it is.
func secretRuleMessage(t *testing.T, value string) string {
	t.Helper()
	err := glossiwebhook.CheckSecret(value)
	if err == nil {
		t.Fatalf("CheckSecret accepts the %d-byte test value", len(value))
	}
	return err.Error()
}

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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
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

// verify follows glossiwebhook's rules: either case, surrounding whitespace, and false (never an
// error) for anything that is not the signature.
func TestFunctions_verify(t *testing.T) {
	t.Parallel()
	good := hmacHex(functionTestBody, functionTestSecret)
	cases := map[string]struct {
		signature string
		body      string
		want      bool
	}{
		"exact":                  {good, functionTestBody, true},
		"uppercase":              {strings.ToUpper(good), functionTestBody, true},
		"surrounding whitespace": {" " + good + "\n", functionTestBody, true},
		"other body":             {good, functionTestBody + " ", false},
		"other secret":           {hmacHex(functionTestBody, "whsec_other"), functionTestBody, false},
		"sha256 prefix":          {"sha256=" + good, functionTestBody, false},
		"not hex":                {strings.Repeat("z", 64), functionTestBody, false},
		"truncated":              {good[:63], functionTestBody, false},
		"empty":                  {"", functionTestBody, false},
	}
	var outputs strings.Builder
	checks := make([]statecheck.StateCheck, 0, len(cases))
	i := 0
	for name, c := range cases {
		output := fmt.Sprintf("case_%d", i)
		i++
		fmt.Fprintf(&outputs, "# %s\noutput %q {\n  value = provider::glossi::verify(%q, %q, local.secret)\n}\n", name, output, c.body, c.signature)
		checks = append(checks, statecheck.ExpectKnownOutputValue(output, knownvalue.Bool(c.want)))
	}
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsRequire,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            functionConfig(outputs.String()),
			ConfigStateChecks: checks,
		}},
	})
}

// A signature built with sign is one verify accepts, and fingerprint of the resource's secret is
// the fingerprint of the secret the API holds.
func TestFunctions_withResourceSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsRequire,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "glossi_webhook" "main" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]
}
output "round_trip" {
  value     = provider::glossi::verify("{}", provider::glossi::sign("{}", glossi_webhook.main.secret), glossi_webhook.main.secret)
  sensitive = true
}
output "fingerprint" {
  value     = provider::glossi::fingerprint(glossi_webhook.main.secret)
  sensitive = true
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("round_trip", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("fingerprint", lazyStringExact(func() string { return sha256Prefix(env.storedWebhook(t).Secret) })),
			},
		}},
	})
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

// lazyStringExact is knownvalue.StringExact of a value known only when the check runs.
type lazyStringExact func() string

func (f lazyStringExact) CheckValue(v any) error {
	return knownvalue.StringExact(f()).CheckValue(v)
}

func (f lazyStringExact) String() string { return "the value computed when the check runs" }

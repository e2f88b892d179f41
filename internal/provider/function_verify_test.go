package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

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

// lazyStringExact is knownvalue.StringExact of a value known only when the check runs.
type lazyStringExact func() string

func (f lazyStringExact) CheckValue(v any) error {
	return knownvalue.StringExact(f()).CheckValue(v)
}

func (f lazyStringExact) String() string { return "the value computed when the check runs" }

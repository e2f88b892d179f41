package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

const probeTestSecret = "whsec_probe_51f0c2a9e7"

// testReceiver is a receiver of deliveries for the probe tests, served until the test ends: the
// URL of its webhook path, and how many deliveries it got.
type testReceiver struct {
	URL        string
	deliveries atomic.Int32
}

// serveReceiver is a testReceiver that counts each delivery, then lets answer answer it.
func serveReceiver(t *testing.T, answer http.HandlerFunc) *testReceiver {
	t.Helper()
	r := &testReceiver{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.deliveries.Add(1)
		answer(w, req)
	}))
	t.Cleanup(server.Close)
	r.URL = server.URL + "/webhooks/glossi"
	return r
}

// verifyingReceiver is a receiver built as examples/receiver is: glossiwebhook's Middleware in
// front of a handler that answers 200. secret is asked on every delivery, so that it can be the
// secret the sandbox issued; without one (no webhook yet) the receiver answers 500.
func verifyingReceiver(t *testing.T, secret func() string) *testReceiver {
	t.Helper()
	return serveReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		v, err := glossiwebhook.NewVerifier(secret())
		if err != nil {
			http.Error(w, "no secret", http.StatusInternalServerError)
			return
		}
		v.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(w, r)
	})
}

// acceptingReceiver answers 200 to anything: it does not verify signatures.
func acceptingReceiver(t *testing.T) *testReceiver {
	t.Helper()
	return serveReceiver(t, func(http.ResponseWriter, *http.Request) {})
}

// downReceiver is the URL of a receiver that is not running.
func downReceiver(t *testing.T) string {
	t.Helper()
	server := httptest.NewServer(http.NotFoundHandler())
	server.Close()
	return server.URL + "/webhooks/glossi"
}

func fixedSecret(s string) func() string { return func() string { return s } }

func probeConfig(url string) string {
	return fmt.Sprintf(`
data "glossi_webhook_probe" "test" {
  url     = %q
  secret  = %q
  timeout = "5s"
}
`, url, probeTestSecret)
}

func probeValue(attribute string, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.glossi_webhook_probe.test", tfjsonpath.New(attribute), want)
}

func TestWebhookProbeDataSource_results(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		url    func(t *testing.T) string
		checks []statecheck.StateCheck
	}{
		"right secret": {
			url: func(t *testing.T) string { return verifyingReceiver(t, fixedSecret(probeTestSecret)).URL },
			checks: []statecheck.StateCheck{
				probeValue("signature_accepted", knownvalue.Bool(true)),
				probeValue("forgery_rejected", knownvalue.Bool(true)),
				probeValue("signed_status", knownvalue.Int64Exact(200)),
				probeValue("forged_status", knownvalue.Int64Exact(401)),
				probeValue("latency_ms", knownvalue.NotNull()),
				probeValue("error", knownvalue.Null()),
			},
		},
		"wrong secret": {
			url: func(t *testing.T) string { return verifyingReceiver(t, fixedSecret("whsec_other")).URL },
			checks: []statecheck.StateCheck{
				probeValue("signature_accepted", knownvalue.Bool(false)),
				probeValue("forgery_rejected", knownvalue.Bool(true)),
				probeValue("signed_status", knownvalue.Int64Exact(401)),
				probeValue("forged_status", knownvalue.Int64Exact(401)),
			},
		},
		"accepts anything": {
			url: func(t *testing.T) string { return acceptingReceiver(t).URL },
			checks: []statecheck.StateCheck{
				probeValue("signature_accepted", knownvalue.Bool(true)),
				probeValue("forgery_rejected", knownvalue.Bool(false)),
				probeValue("forged_status", knownvalue.Int64Exact(200)),
			},
		},
		"nothing at the path": {
			url: func(t *testing.T) string {
				server := httptest.NewServer(http.NotFoundHandler())
				t.Cleanup(server.Close)
				return server.URL + "/webhooks/glossi"
			},
			checks: []statecheck.StateCheck{
				probeValue("signature_accepted", knownvalue.Bool(false)),
				probeValue("signed_status", knownvalue.Int64Exact(404)),
				probeValue("error", knownvalue.StringRegexp(expectWords("404 Not Found: no receiver answered at that URL"))),
			},
		},
		"down": {
			url: downReceiver,
			checks: []statecheck.StateCheck{
				probeValue("signature_accepted", knownvalue.Bool(false)),
				probeValue("forgery_rejected", knownvalue.Bool(false)),
				probeValue("signed_status", knownvalue.Null()),
				probeValue("forged_status", knownvalue.Null()),
				probeValue("latency_ms", knownvalue.Null()),
				probeValue("error", knownvalue.StringRegexp(expectWords("the signed delivery got no answer", "connection refused"))),
			},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            probeConfig(c.url(t)),
					ConfigStateChecks: c.checks,
				}},
			})
		})
	}
}

// Bad input is refused before anything is sent. What is not a secret is refused with the words a
// provider function uses for the same value, null included: one run checks both.
func TestWebhookProbeDataSource_invalidInput(t *testing.T) {
	t.Parallel()
	placeholder, empty := secretRuleMessage(t, "<sensitive>"), secretRuleMessage(t, "")
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsRequire,
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "glossi_webhook_probe" "test" {
  url     = "hooks.example.com/glossi"
  secret  = "<sensitive>"
  timeout = "soon"
}
output "fingerprint" {
  value = provider::glossi::fingerprint("<sensitive>")
}
`,
			ExpectError: expectBoth(expectWords("Invalid URL", "Invalid Webhook Secret", placeholder, "Invalid Duration"),
				expectWords(`Invalid value for "secret" parameter: `+placeholder)),
		}, {
			Config: `
variable "secret" {
  type    = string
  default = null # an imported webhook's secret
}
data "glossi_webhook_probe" "test" {
  url    = "https://hooks.example.com/glossi"
  secret = var.secret
}
output "fingerprint" {
  value = provider::glossi::fingerprint(var.secret)
}
`,
			ExpectError: expectBoth(expectWords("Invalid Webhook Secret", empty), expectWords(secretRefusal(t, nil)...)),
		}},
	})
}

// expectBoth matches an output that a and b both match, in either order: Terraform reports a
// data source's and an output's errors in the order its walk meets them.
func expectBoth(a, b *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`(?s)(?:` + a.String() + `.*` + b.String() + `|` + b.String() + `.*` + a.String() + `)`)
}

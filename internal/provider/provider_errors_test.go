package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Every bad input is refused at plan, before any request reaches the API.
func TestProvider_badInputFailsAtPlan(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		provider string
		resource string
		want     string
	}{
		{name: "relative url", resource: `url = "/hooks"`, want: `Invalid URL`},
		{name: "ftp url", resource: `url = "ftp://hooks.example.com"`, want: `scheme must be http or https`},
		{name: "url without host", resource: `url = "https://"`, want: `has no host`},
		{name: "no events", resource: `events = []`, want: `at least 1`},
		{name: "malformed event", resource: `events = ["render"]`, want: `not a Glossi event name`},
		{name: "empty event", resource: `events = [""]`, want: `not a Glossi event name`},
		{name: "event one letter off", resource: `events = ["model.procesed"]`, want: `did\s+you\s+mean\s+"model\.processed"`},
		{name: "base_url not absolute", provider: `base_url = "api.glossi.app"`, want: `Invalid URL`},
		{name: "request_timeout not a duration", provider: `request_timeout = "soon"`, want: `not a positive duration`},
		{name: "request_timeout negative", provider: `request_timeout = "-5s"`, want: `not a positive duration`},
		{name: "max_retries negative", provider: `max_retries = -1`, want: `between 0 and 20`},
	}
	// One TestCase: a webhook is applied, then each bad input is a plan-only step (one plan
	// each) that must fail before any API call, then the valid configuration plans clean.
	env := newTestEnv(t, sandbox.Options{})
	valid := env.config(basicWebhook)
	// noRequestsSince checks that the step before made no API call, then resets the log.
	noRequestsSince := func(what string) func() {
		return func() {
			if n := len(env.sandbox.Requests()); n != 0 {
				t.Errorf("%s: bad input must fail before any API call; the API got %d requests", what, n)
			}
			env.sandbox.ResetRequests()
		}
	}
	steps := []resource.TestStep{{Config: valid}}
	before := func() {
		// With a webhook in state, a plan would refresh it: bad input must stop Terraform
		// before that GET.
		env.sandbox.ResetRequests()
	}
	for _, tc := range cases {
		attrs := map[string]string{
			"url":    `url = "https://hooks.example.com/glossi"`,
			"events": `events = ["model.processed"]`,
		}
		if tc.resource != "" {
			attrs[strings.SplitN(tc.resource, " ", 2)[0]] = tc.resource
		}
		providerAttrs := map[string]string{
			"api_key":  fmt.Sprintf("api_key = %q", testAPIKey),
			"base_url": fmt.Sprintf("base_url = %q", env.baseURL),
		}
		if tc.provider != "" {
			providerAttrs[strings.SplitN(tc.provider, " ", 2)[0]] = tc.provider
		}
		config := fmt.Sprintf("provider \"glossi\" {\n%s\n}\nresource \"glossi_webhook\" \"test\" {\n%s\n%s\n}\n",
			joinValues(providerAttrs), attrs["url"], attrs["events"])
		steps = append(steps, resource.TestStep{
			PreConfig:   before,
			Config:      config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tc.want),
		})
		before = noRequestsSince(tc.name)
	}
	steps = append(steps, resource.TestStep{PreConfig: before, Config: valid, PlanOnly: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
	})
}

func joinValues(m map[string]string) string {
	var lines []string
	for _, v := range m {
		lines = append(lines, v)
	}
	return strings.Join(lines, "\n")
}

func TestProvider_missingAPIKey(t *testing.T) {
	t.Setenv(envAPIKey, "")
	env := newTestEnv(t, sandbox.Options{})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"glossi\" {\n  base_url = %q\n}\n%s", env.baseURL, webhookDataSourceConfig),
			ExpectError: expectWords(`Missing Glossi API Key`, `Set api_key in the provider block, or the GLOSSI_API_KEY environment variable.`),
		}},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("no request may be sent without a key; the API got %d", n)
	}
}

func TestProvider_apiKeyFromEnvironment(t *testing.T) {
	t.Setenv(envAPIKey, testAPIKey)
	env := newTestEnv(t, sandbox.Options{})
	t.Setenv(envBaseURL, env.baseURL)
	env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true})
	// One TestCase, a step per way of leaving api_key out; each step's reads must have reached
	// the API with the key from the environment.
	reachedWithEnvKey := func(what string) func() {
		return func() {
			if got := env.sandbox.Requests(); len(got) == 0 || !got[0].KeyValid {
				t.Errorf("api_key %s: the data source did not reach the API with the key from %s", what, envAPIKey)
			}
			env.sandbox.ResetRequests()
		}
	}
	env.sandbox.ResetRequests()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: `provider "glossi" {}` + webhookDataSourceConfig},
			{PreConfig: reachedWithEnvKey("unset"), Config: `provider "glossi" { api_key = "" }` + webhookDataSourceConfig},
		},
	})
	reachedWithEnvKey("empty string")()
}

func TestProvider_invalidAPIKey(t *testing.T) {
	t.Parallel()
	const wrongKey = "wrong-key-5f0e2b9c41"
	cases := map[string]*sandbox.Fault{
		"sandbox's own 401":   nil,
		"401 echoing the key": {Method: "GET", Status: 401, Message: "API key " + wrongKey + " is not valid"},
	}
	for name, fault := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, sandbox.Options{})
			if fault != nil {
				env.sandbox.InjectFault(*fault)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				ErrorCheck: func(err error) error {
					if err == nil {
						return errors.New("want an error for an invalid API key")
					}
					if strings.Contains(err.Error(), wrongKey) {
						return errors.New("the error message contains the API key")
					}
					if !expectWords(`rejected the API key`, `401 Unauthorized`).MatchString(err.Error()) {
						return errors.New("want a message about the rejected key and the 401")
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf("provider \"glossi\" {\n  api_key = %q\n  base_url = %q\n}\n%s", wrongKey, env.baseURL, webhookDataSourceConfig),
				}},
			})
			if got := env.sandbox.CountRequests("GET"); got != 1 {
				t.Errorf("a 401 must not be retried; the API got %d GETs", got)
			}
		})
	}
}

func TestProvider_unknownConfigValue(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	config := fmt.Sprintf(`
resource "terraform_data" "key" {
  input = "later"
}

provider "glossi" {
  api_key  = terraform_data.key.output
  base_url = %q
}

data "glossi_webhook" "test" {}
`, env.baseURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: expectWords(`Unknown Glossi Provider Configuration Value`, `api_key is not known until apply`),
		}},
	})
}

func TestProvider_retriesServiceUnavailable(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 503, Count: 2})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps:                    []resource.TestStep{{Config: env.config(basicWebhook)}},
	})
	if got := env.sandbox.CountRequests("GET"); got < 3 {
		t.Errorf("want the two 503s retried (at least 3 GETs), got %d", got)
	}
}

func TestProvider_retriesRateLimitAfterRetryAfter(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Status: 429, Count: 1, RetryAfter: "1"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps:                    []resource.TestStep{{Config: env.config(basicWebhook)}},
	})
	var puts []time.Time
	for _, r := range env.sandbox.Requests() {
		if r.Method == "PUT" {
			puts = append(puts, r.Time)
		}
	}
	if len(puts) != 2 {
		t.Fatalf("want the 429 retried once (2 PUTs), got %d", len(puts))
	}
	if wait := puts[1].Sub(puts[0]); wait < 900*time.Millisecond {
		t.Errorf("the retry came %v after the 429; Retry-After asked for 1s", wait)
	}
}

func TestProvider_persistentServerErrorFailsInBoundedTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 500, Message: "database unavailable"})
	start := time.Now()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.config(webhookDataSourceConfig),
			ExpectError: expectWords(`500 Internal Server Error: database unavailable (after 3 attempts)`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 60*time.Second {
		t.Errorf("a persistent 500 took %v to fail", elapsed)
	}
	if got := env.sandbox.CountRequests("GET"); got != 3 {
		t.Errorf("max_retries = 2 means 3 attempts, got %d", got)
	}
}

func TestProvider_apiMessageShown(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Status: 422, Count: 1, Message: "url must resolve to a public address"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{{
			Config:      env.config(basicWebhook),
			ExpectError: expectWords(`Error Creating Glossi Webhook`, `422 Unprocessable Entity: url must resolve to a public address`),
		}},
	})
	if got := env.sandbox.CountRequests("PUT"); got != 1 {
		t.Errorf("a 422 must not be retried; the API got %d PUTs", got)
	}
}

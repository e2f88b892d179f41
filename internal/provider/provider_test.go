package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// testAPIKey is distinctive so that a test can search logs and messages for it.
const testAPIKey = "tfacc-key-7c1e9a04b2d6f3"

var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"glossi": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is one sandboxed Glossi API, started for one test.
type testEnv struct {
	sandbox *sandbox.Sandbox
	baseURL string
}

func newTestEnv(t testing.TB, opts sandbox.Options) *testEnv {
	t.Helper()
	if opts.APIKeys == nil {
		opts.APIKeys = []string{testAPIKey}
	}
	sb := sandbox.New(opts)
	server := httptest.NewServer(sb)
	t.Cleanup(server.Close)
	return &testEnv{sandbox: sb, baseURL: server.URL + "/api/v1"}
}

// providerBlock configures the provider against the sandbox, with short retries.
func (e *testEnv) providerBlock() string {
	return fmt.Sprintf(`
provider "glossi" {
  api_key     = %q
  base_url    = %q
  max_retries = 2
}
`, testAPIKey, e.baseURL)
}

// config is the provider block followed by the given HCL.
func (e *testEnv) config(hcl string) string {
	return e.providerBlock() + hcl
}

// storedWebhook is the sandbox's copy of the test account's webhook.
func (e *testEnv) storedWebhook(t *testing.T) sandbox.Webhook {
	t.Helper()
	w, ok := e.sandbox.Webhook(testAPIKey)
	if !ok {
		t.Fatal("the sandbox has no webhook for the test account")
	}
	return w
}

// checkDestroyed is a CheckDestroy that accepts only "the account has no webhook".
func (e *testEnv) checkDestroyed(*terraform.State) error {
	if _, ok := e.sandbox.Webhook(testAPIKey); ok {
		return fmt.Errorf("the sandbox still has a webhook for the test account after destroy")
	}
	return nil
}

// apiCalls counts the requests the sandbox received since the log was last reset, by method.
func (e *testEnv) apiCalls() map[string]int {
	calls := map[string]int{}
	for _, r := range e.sandbox.Requests() {
		calls[r.Method]++
	}
	return calls
}

func formatCalls(calls map[string]int) string {
	var parts []string
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if calls[m] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", calls[m], m))
		}
	}
	if len(parts) == 0 {
		return "no calls"
	}
	return strings.Join(parts, " + ")
}

func callsEqual(got, want map[string]int) bool {
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if got[m] != want[m] {
			return false
		}
	}
	return len(got) <= 3
}

// expectCalls is both a plan check and a state check: the sandbox received exactly want since
// the last reset. It then resets the log, so the next check counts only what follows.
type expectCalls struct {
	env  *testEnv
	what string
	want map[string]int
}

var (
	_ plancheck.PlanCheck   = expectCalls{}
	_ statecheck.StateCheck = expectCalls{}
)

func (c expectCalls) check() error {
	defer c.env.sandbox.ResetRequests()
	if got := c.env.apiCalls(); !callsEqual(got, c.want) {
		return fmt.Errorf("%s: want %s to the API, got %s", c.what, formatCalls(c.want), formatCalls(got))
	}
	return nil
}

func (c expectCalls) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.check()
}

func (c expectCalls) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.check()
}

// resetCalls empties the sandbox's request log, as a plan check (before apply).
type resetCalls struct{ env *testEnv }

func (c resetCalls) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	c.env.sandbox.ResetRequests()
}

func calls(get, put, del int) map[string]int {
	return map[string]int{"GET": get, "PUT": put, "DELETE": del}
}

// expectWords matches diagnostics that contain each phrase, however Terraform wraps the lines.
func expectWords(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, phrase := range phrases {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(phrase)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// emptyPlanStep plans config against the current state and expects nothing to do: a
// planOnlyStep, whose plans without and with refresh must both be empty; applying an empty plan
// would only cost more terraform runs.
func emptyPlanStep(config string) resource.TestStep {
	return planOnlyStep(config)
}

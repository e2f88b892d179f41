//go:build terraformlatest

package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// slowAccountsEnv is a sandbox with n accounts, named a001..., each with a webhook, that answers
// every GET delay late, as a distant API would; and a workspace whose one provider block has the
// keys of all of them, with a list block of every account.
func slowAccountsEnv(tb testing.TB, n int, delay time.Duration) *cliWorkspace {
	tb.Helper()
	keys := make([]string, n)
	var apiKeys strings.Builder
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-key-%03d", i+1)
		fmt.Fprintf(&apiKeys, "    a%03d = %q\n", i+1, keys[i])
	}
	env := newTestEnv(tb, sandbox.Options{APIKeys: keys})
	for i, key := range keys {
		env.sandbox.SetWebhook(key, sandbox.Webhook{URL: fmt.Sprintf("https://hooks.example.com/a%03d", i+1),
			Events: []string{"render.complete"}, Enabled: true})
	}
	env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Delay: delay})
	return newCLIWorkspace(tb, map[string]string{
		"main.tf": cliRequiredProviders + fmt.Sprintf("provider \"glossi\" {\n  base_url = %q\n  api_keys = {\n%s  }\n}\n",
			env.baseURL, apiKeys.String()),
		"all.tfquery.hcl": fmt.Sprintf("list \"glossi_webhook\" \"all\" {\n  provider = glossi\n  limit    = %d\n}\n", n),
	})
}

// `terraform query` over 200 accounts of one provider block, against an API that answers each
// request 50 ms late: the list fetches the accounts concurrently, so the query does not take 200
// round trips.
func BenchmarkWebhookListResource_query200SlowAccounts(b *testing.B) {
	ws := slowAccountsEnv(b, 200, 50*time.Millisecond)
	for b.Loop() {
		out := ws.run(b, "query", "-no-color")
		if n := strings.Count(out, "list.glossi_webhook.all "); n != 200 {
			b.Fatalf("terraform query listed %d webhooks, want 200:\n%s", n, out)
		}
	}
}

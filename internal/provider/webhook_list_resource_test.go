package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// testListRequest is the request `terraform query` sends, with the resource's schemas.
func testListRequest(ctx context.Context, limit int64) list.ListRequest {
	r := &webhookResource{}
	var schema resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schema)
	var identity resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identity)
	return list.ListRequest{Limit: limit, ResourceSchema: schema.Schema, ResourceIdentitySchema: identity.IdentitySchema}
}

func webhookAt(url string) *glossi.Webhook {
	return &glossi.Webhook{ID: "wh-" + url[len(url)-1:], URL: url, Events: []string{"render.complete"}, Enabled: true}
}

// streamed is what the results say: each result's display name, and the diagnostics, in order.
func streamed(results []list.ListResult) (names []string, diags diag.Diagnostics) {
	for _, r := range results {
		diags.Append(r.Diagnostics...)
		if r.DisplayName != "" {
			names = append(names, r.DisplayName)
		}
	}
	return names, diags
}

// An account that fails is a warning of its own, naming the account and its key's setting, while
// the others are listed in order; when no account answers, each failure is an error, all in the
// first result (Terraform reads no result after one with an error).
func TestListResults_eachFailedAccountIsItsOwnDiagnostic(t *testing.T) {
	ctx := t.Context()
	unauthorized := &glossi.APIError{Method: "GET", Path: "/webhooks", StatusCode: 401}
	failing := &glossi.APIError{Method: "GET", Path: "/webhooks", StatusCode: 500}
	found := []listedAccount{
		{account: "", webhook: webhookAt("https://hooks.example.com/0")},
		{account: "bad", err: unauthorized},
		{account: "down", err: failing},
		{account: "empty"},
		{account: "staging", webhook: webhookAt("https://hooks.example.com/s")},
	}
	results := listResults(ctx, testListRequest(ctx, 100), found)
	names, diags := streamed(results)
	want := []string{"webhook of the api_key account to https://hooks.example.com/0",
		`webhook of account "staging" to https://hooks.example.com/s`}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("listed %q, want %q", names, want)
	}
	if len(results[0].Diagnostics) != 2 || results[0].DisplayName != "" || diags.HasError() || len(diags.Warnings()) != 2 {
		t.Fatalf("want the first result to hold two warnings and nothing else: %v", diags)
	}
	for i, says := range [][]string{{`The account "bad" is not listed`, `api_keys["bad"] holds a valid`, "other accounts are listed"},
		{`The account "down" is not listed`, "500"}} {
		for _, want := range says {
			if !strings.Contains(diags[i].Detail(), want) || !strings.HasPrefix(diags[i].Summary(), "Glossi Account \"") {
				t.Errorf("warning %d lacks %q: %s / %s", i, want, diags[i].Summary(), diags[i].Detail())
			}
		}
	}

	results = listResults(ctx, testListRequest(ctx, 100), found[1:3])
	if _, diags := streamed(results); len(results) != 1 || len(diags.Errors()) != 2 {
		t.Errorf("with every account failing, want one result with two errors: %d results, %v", len(results), diags)
	}
}

// More webhooks than the limit: a warning says so and how to list them all, before the results
// Terraform reads, which stop at the limit.
func TestListResults_limitReachedWarns(t *testing.T) {
	ctx := t.Context()
	found := []listedAccount{
		{account: "a", webhook: webhookAt("https://hooks.example.com/a")},
		{account: "b", webhook: webhookAt("https://hooks.example.com/b")},
		{account: "c", webhook: webhookAt("https://hooks.example.com/c")},
	}
	results := listResults(ctx, testListRequest(ctx, 2), found)
	names, diags := streamed(results)
	if len(names) != 2 || len(diags) != 1 || results[0].DisplayName != "" {
		t.Fatalf("want a warning first, then 2 results: %q, %v", names, diags)
	}
	for _, want := range []string{"found 3 webhooks", "limit is 2", `from the account "c" on`, "Set limit = 3"} {
		if !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("the warning lacks %q: %s", want, diags[0].Detail())
		}
	}
}

// The accounts are read concurrently, never more than listConcurrency at once, and the results
// keep the order of the accounts whatever order the answers come in.
func TestFetchWebhooks_concurrentBoundedInOrder(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		key := r.Header.Get("X-API-Key")
		time.Sleep(time.Duration(len(key)%3) * 10 * time.Millisecond) // answers out of order
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": "wh-%s", "url": "https://hooks.example.com/%s", "events": ["render.complete"], "enabled": true}`, key, key)
	}))
	t.Cleanup(server.Close)
	keys := map[string]string{}
	var names []string
	for i := range 30 {
		name := fmt.Sprintf("account-%02d", i)
		keys[name] = strings.Repeat("k", i%7) + fmt.Sprintf("key-%02d-0123456789", i)
		names = append(names, name)
	}
	a, err := newAccounts(glossi.Config{BaseURL: server.URL + "/api/v1"}, keys)
	if err != nil {
		t.Fatal(err)
	}
	found := fetchWebhooks(t.Context(), a, names)
	for i, f := range found {
		if f.account != names[i] || f.err != nil || f.webhook == nil || f.webhook.ID != "wh-"+keys[names[i]] {
			t.Errorf("result %d is %+v, want the webhook of %s", i, f, names[i])
		}
	}
	if most > listConcurrency || most < 2 {
		t.Errorf("at most %d requests were in flight at once, want 2 to %d", most, listConcurrency)
	}
}

// The display name names the account, or the account of api_key, and the URL, its credentials
// redacted.
func TestListDisplayName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, account, url, want string
	}{
		{"a named account", "staging", "https://h.example.com/x", `webhook of account "staging" to https://h.example.com/x`},
		{"the account of api_key", "", "https://h.example.com/x", "webhook of the api_key account to https://h.example.com/x"},
		{"a URL with credentials", "staging", "https://user:hunter2@hooks.example.com/x?token=t0ken-8f2c",
			`webhook of account "staging" to https://REDACTED@hooks.example.com/x?REDACTED`},
	} {
		got := listDisplayName(tc.account, tc.url)
		if strings.Contains(got, "hunter2") || strings.Contains(got, "t0ken-8f2c") {
			t.Errorf("%s: the display name shows a credential of the URL", tc.name)
		} else if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A list block naming an account that is not configured: the stream yields one result, the error
// on accounts naming it, and no account is read.
func TestWebhookListResource_unknownAccountRefused(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	env := newTestEnv(t, sandbox.Options{})
	a, err := newAccounts(glossi.Config{BaseURL: env.baseURL}, map[string]string{defaultAccount: testAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	l := &webhookListResource{accounts: a}
	var s list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &s)
	config := tfsdk.State{Schema: s.Schema}
	if diags := config.Set(ctx, webhookListConfigModel{Accounts: []string{"nope"}}); diags.HasError() {
		t.Fatal(diags)
	}
	req := testListRequest(ctx, 100)
	req.Config = tfsdk.Config{Schema: s.Schema, Raw: config.Raw}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	var results []list.ListResult
	for r := range stream.Results {
		results = append(results, r)
	}
	if len(results) != 1 || len(results[0].Diagnostics) != 1 || results[0].Diagnostics[0].Summary() != "Unknown Glossi Account" ||
		!strings.Contains(results[0].Diagnostics[0].Detail(), `The list block's accounts names "nope"`) {
		t.Fatalf("got %d results, the first with %v; want one, with the error naming \"nope\"", len(results), results)
	}
	if d, ok := results[0].Diagnostics[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("accounts")) {
		t.Error("the error is not on accounts")
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("the list sent %d requests, want none", n)
	}
}

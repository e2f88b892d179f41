package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// ImportState records in the lifecycle that an import was requested: it is what tells the Read
// that follows to check the id as an import's (readImported), whichever way the import came.
func TestWebhookResource_importStateRecordsTheRequest(t *testing.T) {
	t.Parallel()
	resp := importState(t, testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey}), "staging/wh-1")
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	got, diags := loadLifecycle(t.Context(), resp.Private, types.StringValue("wh-1"))
	if diags.HasError() || got != (webhookLifecycle{State: lifecycleImportRequested}) {
		t.Errorf("after ImportState the lifecycle is %+v, %v; want import requested", got, diags)
	}
}

// An import id whose account is not configured is refused by ImportState, before any request,
// with the import's wording and the nearest configured name; an id that names an account but no
// webhook keeps that account in its advice.
func TestWebhookResource_importStateRefusals(t *testing.T) {
	t.Parallel()
	a := testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey})
	for importID, says := range map[string][]string{
		"stagng/wh-1": {"Unknown Glossi Account", `The import names the account "stagng"`, `Did you mean "staging"?`},
		"staging/":    {"Cannot Import Glossi Webhook", "terraform import glossi_webhook.<name> staging/<id>", `id = "staging/<id>"`},
		"":            {"Cannot Import Glossi Webhook", "terraform import glossi_webhook.<name> <id>\n"},
	} {
		resp := importState(t, a, importID)
		if !resp.Diagnostics.HasError() {
			t.Errorf("import id %q was accepted", importID)
			continue
		}
		got := resp.Diagnostics.Errors()[0]
		text := got.Summary() + "\n" + got.Detail()
		for _, want := range says {
			if !strings.Contains(text, want) {
				t.Errorf("import id %q: the error lacks %q:\n%s", importID, want, text)
			}
		}
	}
	if resp := importState(t, a, "staging/wh-1"); resp.Diagnostics.HasError() {
		t.Errorf("a configured account's import id was refused: %v", resp.Diagnostics)
	}
}

func TestParseImportID(t *testing.T) {
	t.Parallel()
	for importID, want := range map[string][2]string{
		"abc":           {"", "abc"},
		"staging/abc":   {"staging", "abc"},
		"team/eu/abc":   {"team/eu", "abc"},
		"/abc":          {"", "abc"},
		"staging/":      {"staging", ""},
		"d8c1-44-uuid":  {"", "d8c1-44-uuid"},
		"brand/d8-uuid": {"brand", "d8-uuid"},
	} {
		got := parseImportID(importID)
		if got.Account.ValueString() != want[0] || got.ID.ValueString() != want[1] {
			t.Errorf("parseImportID(%q) = account %q, id %q; want %q, %q", importID, got.Account.ValueString(), got.ID.ValueString(), want[0], want[1])
		}
	}
}

// An empty import id is refused with the guidance of the other import errors.
func TestWebhookResource_importEmptyIDRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	out, err := ws.tryRun(t, "import", "-no-color", "glossi_webhook.test", "")
	if err == nil {
		t.Fatalf("importing an empty id succeeded:\n%s", out)
	}
	expectOutput(t, out, "Error: Cannot Import Glossi Webhook", "import id is empty", "terraform import glossi_webhook.<name> <id>")
	if strings.Contains(out, "Value Conversion Error") {
		t.Errorf("the framework's conversion error surfaced:\n%s", out)
	}
}

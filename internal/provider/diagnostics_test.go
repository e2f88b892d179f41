package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// Each API error says only what is true for its operation: a create and a data source read have
// no webhook in state to keep.
func TestAddWebhookAPIError_saysWhatIsTrueForTheOperation(t *testing.T) {
	err := &glossi.UnexpectedAnswerError{Method: "GET", StatusCode: 404, Reason: "an HTML page"}
	cases := []struct {
		op          webhookOperation
		summary     string
		says, never string
	}{
		{opCreate, "Error Creating Glossi Webhook", "created no webhook", "in state"},
		{opImport, "Error Importing Glossi Webhook", "Nothing was imported", "in state"},
		{opLookUp, "Error Reading Glossi Webhook", "is base_url right?", "in state"},
		{opRead, "Error Reading Glossi Webhook", "kept the webhook in state", "created"},
		{opReadAfterUncertainCreate, "Error Reading Glossi Webhook", "only the settings the unanswered create sent", "kept the webhook"},
		{opUpdate, "Error Updating Glossi Webhook", "as they were", "kept the webhook"},
		{opDelete, "Error Deleting Glossi Webhook", "deleted nothing and kept the webhook in state", "created"},
	}
	for _, tc := range cases {
		var diags diag.Diagnostics
		addWebhookAPIError(&diags, tc.op, err)
		got := diags[0]
		detail := got.Detail()
		if got.Summary() != tc.summary || !strings.Contains(detail, tc.says) || strings.Contains(detail, tc.never) {
			t.Errorf("%s: %q / %q, want %q saying %q and never %q", tc.op.action, got.Summary(), detail, tc.summary, tc.says, tc.never)
		}
		if !strings.HasSuffix(detail, "Original error: "+err.Error()) || strings.Contains(detail, " \n") {
			t.Errorf("%s: the detail does not end with the original error after full sentences: %q", tc.op.action, detail)
		}
	}
}

// The import advice of a webhook in one of api_keys' accounts names that account, so that
// following it imports that account's webhook and not api_key's.
func TestImportAdvice_namesTheAccount(t *testing.T) {
	cases := []struct {
		name       string
		add        func(*diag.Diagnostics, string)
		says, none []string
	}{
		{"exists, default", func(d *diag.Diagnostics, a string) { addWebhookExistsError(d, a, "wh-1") },
			[]string{"This Glossi account already has", "terraform import glossi_webhook.<name> wh-1\n", `id = "wh-1"`}, []string{"/wh-1"}},
		{"exists, b", func(d *diag.Diagnostics, a string) { addWebhookExistsError(d, a, "wh-1") },
			[]string{`The Glossi account "b" already has`, "terraform import glossi_webhook.<name> b/wh-1\n", `id = "b/wh-1"`}, nil},
		{"mismatch, b", func(d *diag.Diagnostics, a string) { addImportMismatchError(d, a, "b/wh-0", "wh-1") },
			[]string{`the Glossi account "b"`, `import it as "b/wh-1"`}, nil},
		{"not found, b", func(d *diag.Diagnostics, a string) { addImportNotFoundError(d, a, "b/wh-0") },
			[]string{`the Glossi account "b" has no webhook`}, nil},
	}
	for _, tc := range cases {
		account := defaultAccount
		if strings.HasSuffix(tc.name, ", b") {
			account = "b"
		}
		var diags diag.Diagnostics
		tc.add(&diags, account)
		detail := diags.Errors()[0].Detail()
		for _, want := range tc.says {
			if !strings.Contains(detail, want) {
				t.Errorf("%s: the detail lacks %q:\n%s", tc.name, want, detail)
			}
		}
		for _, never := range tc.none {
			if strings.Contains(detail, never) {
				t.Errorf("%s: the detail holds %q:\n%s", tc.name, never, detail)
			}
		}
	}
}

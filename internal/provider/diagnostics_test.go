package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/probe"
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
		addWebhookAPIError(&diags, tc.op, defaultAccount, err)
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
			[]string{"The account of api_key already has", "terraform import <address> wh-1\n", `id = "wh-1"`, `"with" line`}, []string{"/wh-1"}},
		{"exists, b", func(d *diag.Diagnostics, a string) { addWebhookExistsError(d, a, "wh-1") },
			[]string{`The account "b" already has`, "terraform import <address> b/wh-1\n", `id = "b/wh-1"`}, nil},
		{"empty id, b", func(d *diag.Diagnostics, a string) { addEmptyImportIDError(d, a) },
			[]string{"terraform import glossi_webhook.<name> b/<id>\n", `id = "b/<id>"`}, nil},
		{"empty id, default", func(d *diag.Diagnostics, a string) { addEmptyImportIDError(d, a) },
			[]string{"terraform import glossi_webhook.<name> <id>\n", `id = "<id>"`}, []string{"/<id>"}},
		{"mismatch, b", func(d *diag.Diagnostics, a string) { addImportMismatchError(d, a, "b/wh-0", "wh-1") },
			[]string{`the account "b"`, `import it as "b/wh-1"`}, nil},
		{"not found, b", func(d *diag.Diagnostics, a string) { addImportNotFoundError(d, a, "b/wh-0") },
			[]string{`the account "b" has no webhook`}, nil},
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

// Where an API key is blamed (a 401, a key that is only whitespace), the advice names the setting
// that holds that account's key: api_keys["<name>"] and the account, or api_key for the default
// account.
func TestAPIErrorDetail_namesTheAccountsKey(t *testing.T) {
	unauthorized := &glossi.APIError{Method: "GET", Path: "/webhooks", StatusCode: 401}
	for _, tc := range []struct {
		account string
		err     error
		says    []string
		never   string
	}{
		{"staging", unauthorized, []string{`the account "staging"`, `api_keys["staging"] holds a valid`}, "GLOSSI_API_KEY"},
		{defaultAccount, unauthorized, []string{"api_key (or GLOSSI_API_KEY) holds a valid"}, "api_keys"},
		{"staging", glossi.ErrMissingAPIKey, []string{`api_keys["staging"], the API key of the account "staging", is only whitespace`}, "GLOSSI_API_KEY"},
		{defaultAccount, glossi.ErrMissingAPIKey, []string{"api_key, the API key of the provider's default account, is only whitespace"}, "api_keys"},
	} {
		detail := apiErrorDetail(tc.err, opLookUp, tc.account)
		for _, want := range tc.says {
			if !strings.Contains(detail, want) {
				t.Errorf("%q, %v: the detail lacks %q:\n%s", tc.account, tc.err, want, detail)
			}
		}
		if strings.Contains(detail, tc.never) {
			t.Errorf("%q, %v: the detail names %s:\n%s", tc.account, tc.err, tc.never, detail)
		}
	}
}

// One unknown event is "it", several are "them".
func TestAddUnknownEventsWarning_agreesInNumber(t *testing.T) {
	for events, want := range map[int]string{1: "may have added it; if it has not, the API will reject it at", 2: "may have added them; if it has not, the API will reject them at"} {
		var diags diag.Diagnostics
		addUnknownEventsWarning(&diags, []string{"a.b", "c.d"}[:events])
		if detail := diags[0].Detail(); !strings.Contains(detail, want) {
			t.Errorf("%d events: %q lacks %q", events, detail, want)
		}
	}
}

// An answer that does not look like the API's names the way out only where there is a state to
// remove the webhook from.
func TestAddWebhookAPIError_stateRmOnlyWithState(t *testing.T) {
	t.Parallel()
	unexpected := &glossi.UnexpectedAnswerError{Method: "GET", StatusCode: 404, Reason: "an HTML page"}
	refused := &glossi.APIError{Method: "GET", Path: "/webhooks", StatusCode: 400}
	for _, op := range []webhookOperation{opCreate, opImport, opLookUp, opRead, opReadAfterUncertainCreate, opUpdate, opDelete} {
		for _, err := range []error{unexpected, refused} {
			var diags diag.Diagnostics
			addWebhookAPIError(&diags, op, defaultAccount, err)
			want := op.inState && err == error(unexpected)
			if got := strings.Contains(diags[0].Detail(), "terraform state rm <address>"); got != want {
				t.Errorf("%s %q: names terraform state rm = %t, want %t", op.action, op.outcome, got, want)
			}
		}
	}
	if !opRead.inState || !opDelete.inState || opLookUp.inState || opReadAfterUncertainCreate.inState {
		t.Error("only a refresh and a delete have the webhook in state")
	}
}

// Each way a receiver fails the probe action is one error naming it, with the URL's token
// redacted; a receiver that passes gives none.
func TestAddProbeFailure(t *testing.T) {
	t.Parallel()
	const url, token = "https://hooks.example.com/glossi?token=tok-51c9e2", "tok-51c9e2"
	for _, tc := range []struct {
		name   string
		result probe.Result
		want   []string
	}{
		{"passes", probe.Result{SignedStatus: 200, ForgedStatus: 401}, nil},
		{"unreachable", probe.Result{Err: errors.New("the signed delivery got no answer: connection refused")},
			[]string{"Glossi Webhook Receiver Unreachable"}},
		{"wrong secret", probe.Result{SignedStatus: 401, ForgedStatus: 401},
			[]string{"Glossi Webhook Receiver Did Not Accept the Signed Probe"}},
		{"accepts anything", probe.Result{SignedStatus: 200, ForgedStatus: 200},
			[]string{"Glossi Webhook Receiver Accepted a Forged Probe"}},
		{"fails and accepts forgeries", probe.Result{SignedStatus: 500, ForgedStatus: 500},
			[]string{"Glossi Webhook Receiver Did Not Accept the Signed Probe", "Glossi Webhook Receiver Accepted a Forged Probe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addProbeFailure(&diags, url, tc.result)
			var got []string
			for _, d := range diags.Errors() {
				got = append(got, d.Summary())
				if strings.Contains(d.Detail(), token) {
					t.Errorf("%s: the detail shows the URL's token", d.Summary())
				} else if !strings.Contains(d.Detail(), "https://hooks.example.com/glossi") {
					t.Errorf("%s: the detail must name the URL: %s", d.Summary(), d.Detail())
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("errors %q, want %q", got, tc.want)
			}
		})
	}
}

// The account of api_key has no name: the list resource's diagnostic calls it "the account of
// api_key", a warning while other accounts are listed and an error when none is.
func TestAccountNotListed_defaultAccountByItsKey(t *testing.T) {
	t.Parallel()
	failing := &glossi.APIError{Method: "GET", Path: "/webhooks", StatusCode: 500}
	for othersListed, severity := range map[bool]diag.Severity{true: diag.SeverityWarning, false: diag.SeverityError} {
		d := accountNotListed(defaultAccount, failing, othersListed)
		if d.Summary() != "Glossi Account of api_key Not Listed" || d.Severity() != severity ||
			!strings.HasPrefix(d.Detail(), "The account of api_key is not listed.") {
			t.Errorf("others listed %t: %s %q / %q, want a %s naming the account of api_key", othersListed, d.Severity(),
				d.Summary(), d.Detail(), severity)
		}
	}
}

// An import from another account where one side is the account of api_key names it as such, and
// the way out fits it: the import id without an account, an identity whose account is null, or a
// resource without account.
func TestAddImportFromAnotherAccountError_defaultAccountOnEitherSide(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		imported, configured string
		says                 []string
	}{
		{defaultAccount, "staging", []string{`the webhook "wh-1" of the account of api_key`, `this resource's account is the account "staging"`,
			`the import id "staging/<id>"`, `an identity whose account is "staging"`, "set the resource's account to match: remove account, for the account of api_key.",
			`To move the webhook to the account "staging" on purpose later, first apply once with the account it has and a change the API holds`}},
		{"staging", defaultAccount, []string{`the webhook "wh-1" of the account "staging"`, "this resource's account is the account of api_key",
			`the import id "<id>"`, "an identity whose account is null", `set the resource's account to match: account = "staging".`,
			"To move the webhook to the account of api_key on purpose later"}},
	} {
		var diags diag.Diagnostics
		addImportFromAnotherAccountError(&diags, tc.imported, tc.configured, "wh-1")
		if diags[0].Summary() != "Glossi Webhook Imported From Another Account" {
			t.Errorf("summary %q", diags[0].Summary())
		}
		for _, want := range tc.says {
			if !strings.Contains(diags[0].Detail(), want) {
				t.Errorf("imported from %q into %q: the detail lacks %q:\n%s", tc.imported, tc.configured, want, diags[0].Detail())
			}
		}
	}
}

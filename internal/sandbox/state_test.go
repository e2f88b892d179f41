package sandbox_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// A state file with a value of the wrong type is reported in the file's terms (the JSON path
// and what it should hold), never with the Go type names of the sandbox.
func TestPersistence_wrongTypeNamesThePath(t *testing.T) {
	for content, want := range map[string]string{
		`{"version":1,"accounts":[{"apiKey":"k","webhook":{"id":1}}]}`: "accounts.webhook.id is a JSON number, want a string",
		`{"version":"1","accounts":[]}`:                                "version is a JSON string, want a whole number",
		`{"version":1,"accounts":{}}`:                                  "accounts is a JSON object, want an array",
		`[1]`:                                                          "the file is a JSON array, want an object",
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := sandbox.NewPersistent(sandbox.Options{}, path)
		if !errors.Is(err, sandbox.ErrCorruptState) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: NewPersistent = %v, want ErrCorruptState saying %q", content, err, want)
		}
		if err != nil && (strings.Contains(err.Error(), "sandbox.") || strings.Contains(err.Error(), "Go ")) {
			t.Errorf("%s: the error names Go types: %v", content, err)
		}
	}
}

// An account may have no webhook yet, in a file written by hand as in one the sandbox writes: its
// key is accepted and kept across changes and restarts, and GET answers it "no webhook".
func TestPersistence_accountsWithoutWebhook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	content := `{"version": 1, "accounts": [{"apiKey": "key-a"}, {"apiKey": "key-b", "webhook": null},
		{"apiKey": "key-c", "webhook": {"id": "wh-c", "secret": "whsec_c"}}]}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := stateAccounts(t, path)
	if !slices.Equal(keys, []string{"key-a", "key-b", "key-c"}) {
		t.Fatalf("the state file's accounts = %v; want the three accounts", keys)
	}
	sb, err := sandbox.NewPersistent(sandbox.Options{APIKeys: append(keys, "key-new")}, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.Webhook("key-a"); ok {
		t.Error("an account without a webhook has one")
	}
	if w, ok := sb.Webhook("key-c"); !ok || w.ID != "wh-c" {
		t.Errorf("Webhook(key-c) = %+v, %t", w, ok)
	}
	srv := httptest.NewServer(sb)
	e := &env{t: t, sb: sb, srv: srv}
	mustStatus(t, e.get("key-a"), http.StatusNotFound)
	mustStatus(t, e.del("key-c"), http.StatusOK) // a change: the file is written
	srv.Close()
	_ = sb.Close()
	if keys = stateAccounts(t, path); !slices.Equal(keys, []string{"key-a", "key-b", "key-c", "key-new"}) {
		t.Errorf("after a change, the state file's accounts = %v; want every account, with a webhook or not", keys)
	}
}

// A state file that lacks something says which field of which account, without quoting a key.
func TestPersistence_accountProblemNamed(t *testing.T) {
	const secretKey = "key-never-shown"
	for account, want := range map[string]string{
		`{"webhook": {"id": "w", "secret": "s"}}`:                                                 "accounts[1] has no apiKey",
		`{"apiKey": "k2", "webhook": {"secret": "s"}}`:                                            "accounts[1] has a webhook without an id",
		`{"apiKey": "k2", "webhook": {"id": "w", "url": ""}}`:                                     "accounts[1] has a webhook without a secret",
		`{"apiKey": "` + secretKey + `"}`:                                                         "accounts[1] repeats the apiKey of an account above it",
		`{"apiKey": "` + secretKey + ` 2"}`:                                                       "accounts[1] has an apiKey that holds a space",
		`{"apiKey": "k2", "webhook": {"id": "w", "secret": "s", "lastTriggeredAt": "yesterday"}}`: "accounts[1] has a webhook with a bad lastTriggeredAt",
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		content := `{"version": 1, "accounts": [{"apiKey": "` + secretKey + `"}, ` + account + `]}`
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := sandbox.NewPersistent(sandbox.Options{}, path)
		if !errors.Is(err, sandbox.ErrCorruptState) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), secretKey) {
			t.Errorf("%s: NewPersistent = %v, want ErrCorruptState saying %q without the key", account, err, want)
		}
	}
}

// A sandbox given no keys, on a state with no accounts, accepts DefaultAPIKey as a placeholder,
// which is no account: a change saves the accounts of the file and those with a webhook, never
// the placeholder.
func TestPersistence_placeholderKeyNotSaved(t *testing.T) {
	for name, content := range map[string]string{
		"a file with an account": `{"version": 1, "accounts": [{"apiKey": "key-a", "webhook": {"id": "wh-a", "secret": "whsec_a"}}]}`,
		"no file":                "",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			if content != "" {
				if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			sb, err := sandbox.NewPersistent(sandbox.Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			sb.SetWebhook("key-a", sandbox.Webhook{Enabled: true}) // a change: the file is written
			_ = sb.Close()
			if keys := stateAccounts(t, path); !slices.Equal(keys, []string{"key-a"}) {
				t.Errorf("after a change, the file lists %d accounts, the placeholder among them: %t; want only the one with a webhook",
					len(keys), slices.Contains(keys, sandbox.DefaultAPIKey))
			}
		})
	}
}

// A sandbox given no keys accepts those of the state file's accounts, with a webhook or not, and
// not DefaultAPIKey.
func TestPersistence_noKeysGivenAcceptsTheFileAccounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	content := `{"version": 1, "accounts": [{"apiKey": "key-b", "webhook": {"id": "wh-b", "secret": "whsec_b"}}, {"apiKey": "key-a"}]}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sb.Close() }()
	if got, want := sb.APIKeys(), []string{"key-a", "key-b"}; !slices.Equal(got, want) || !slices.Equal(sb.Accounts(), want) {
		t.Errorf("APIKeys = %v, Accounts = %v; want both %v, sorted", got, sb.Accounts(), want)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()
	e := &env{t: t, sb: sb, srv: srv}
	mustStatus(t, e.get("key-a"), http.StatusNotFound)
	mustStatus(t, e.get("key-b"), http.StatusOK)
	mustStatus(t, e.get(sandbox.DefaultAPIKey), http.StatusUnauthorized)
}

// A webhook given to a new key, through the API or out of band, makes the key an account of the
// state file, kept after the webhook is deleted.
func TestPersistence_newWebhookMakesAnAccount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	sb, err := sandbox.NewPersistent(sandbox.Options{APIKeys: []string{"key-b", "key-c"}}, path)
	if err != nil {
		t.Fatal(err)
	}
	sb.SetWebhook("key-out-of-band", sandbox.Webhook{URL: "https://example.com/a"})
	sb.DeleteWebhook("key-out-of-band")
	_ = sb.Close()
	if keys := stateAccounts(t, path); len(keys) != 3 || !slices.Contains(keys, "key-out-of-band") {
		t.Errorf("the file lists %d accounts, the key set out of band among them: %t; want it beside the two given",
			len(keys), slices.Contains(keys, "key-out-of-band"))
	}
}

// stateAccounts returns the API keys of the accounts in the state file at path, in its order.
func stateAccounts(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Accounts []struct{ APIKey string } }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("the state file is not JSON: %v", err)
	}
	keys := make([]string, 0, len(f.Accounts))
	for _, a := range f.Accounts {
		keys = append(keys, a.APIKey)
	}
	return keys
}

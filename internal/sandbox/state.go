package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// stateVersion is the version of the state file format.
const stateVersion = 1

// ErrCorruptState means a state file exists but cannot be read as a state:
// it is truncated, not JSON, or of an unknown version.
var ErrCorruptState = errors.New("corrupt sandbox state file")

// ErrStateInUse means another Sandbox, in this process or another, has the
// state file open.
var ErrStateInUse = errors.New("sandbox state file in use")

// stateFile is the JSON form of a state file. It holds API keys and webhook
// secrets of a local sandbox, so it is written with mode 0600.
type stateFile struct {
	Version  int            `json:"version"`
	Accounts []stateAccount `json:"accounts"`
}

// stateAccount is an account: its API key, and its webhook if it has one.
type stateAccount struct {
	APIKey  string        `json:"apiKey"`
	Webhook *stateWebhook `json:"webhook,omitempty"`
}

type stateWebhook struct {
	ID                 string   `json:"id"`
	URL                string   `json:"url"`
	Secret             string   `json:"secret"`
	Events             []string `json:"events"`
	Enabled            bool     `json:"enabled"`
	Description        *string  `json:"description,omitempty"`
	LastTriggeredAt    *string  `json:"lastTriggeredAt,omitempty"`
	LastResponseStatus *int     `json:"lastResponseStatus,omitempty"`
	FailureCount       int      `json:"failureCount"`
}

// NewPersistent returns a Sandbox whose webhooks are loaded from the JSON
// state file at path and saved to it after every change (create, update,
// delete, delivery statistics), so that a restarted sandbox loses nothing.
// A missing file is an empty state.
//
// The file lists accounts: each an API key and, if the account has one, its
// webhook, of which only id and secret are required:
//
//	{"version": 1, "accounts": [
//	  {"apiKey": "key-a"},
//	  {"apiKey": "key-b", "webhook": {"id": "wh-b", "secret": "whsec_b",
//	    "url": "https://hooks.example.com/b", "events": ["job.failed"], "enabled": true,
//	    "description": "...", "lastTriggeredAt": "2025-01-15T10:30:00.000Z",
//	    "lastResponseStatus": 200, "failureCount": 0}}]}
//
// The sandbox writes the accounts of the file and of opts.APIKeys, with or
// without a webhook, and each account that gets a webhook, so that their keys
// survive a restart. When opts.APIKeys is empty, the sandbox accepts the keys
// of the file's accounts (APIKeys says which); when the file has none either,
// DefaultAPIKey, as New does, which is no account until it gets a webhook.
//
// The file is replaced atomically (a temporary file in the same folder,
// fsync, rename), so after a crash it holds either the previous or the new
// state. A file that cannot be read as a state is an error wrapping
// ErrCorruptState, naming what is wrong; the file is left untouched.
//
// A failure to save is reported to Options.Logf; the API keeps answering
// from memory.
//
// The state file is locked (path+".lock") until Shutdown or Close: a second
// Sandbox on the same file, in this process or another, fails with an error
// wrapping ErrStateInUse.
func NewPersistent(opts Options, path string) (*Sandbox, error) {
	unlock, err := lockState(path)
	if err != nil {
		return nil, err
	}
	fileKeys, hooks, err := readState(path)
	if err != nil {
		unlock()
		return nil, err
	}
	accounts := accountKeys(fileKeys, opts.APIKeys)
	if len(opts.APIKeys) == 0 {
		opts.APIKeys = accounts
	}
	s := New(opts)
	s.unlockState = sync.OnceFunc(unlock)
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for k, w := range hooks {
		c := w.clone()
		s.store.hooks[k] = &c
	}
	s.store.accounts = accounts
	s.store.persist = func(accounts []string, snap map[string]Webhook) {
		if err := writeState(path, accounts, snap); err != nil {
			s.logf("could not save the state file: %v", err)
		}
	}
	return s, nil
}

// accountKeys returns the keys of the accounts a state keeps, sorted, each once: those of its
// file and those the caller gave, never the DefaultAPIKey that New puts in place of none.
func accountKeys(fileKeys, given []string) []string {
	keys := slices.Concat(fileKeys, given)
	keys = slices.DeleteFunc(keys, func(k string) bool { return k == "" })
	slices.Sort(keys)
	return slices.Compact(keys)
}

// readState returns the API keys of the accounts in the state file at path,
// and the webhooks of those that have one.
func readState(path string) (keys []string, hooks map[string]Webhook, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, map[string]Webhook{}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the sandbox state file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil, fmt.Errorf("%w %s: the file is empty; delete it to start with no webhooks", ErrCorruptState, path)
	}
	var f stateFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err = dec.Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("%w %s: %s (truncated or edited?); fix it or delete it to start with no webhooks", ErrCorruptState, path, stateDecodeProblem(err))
	}
	if _, err = dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%w %s: unexpected data after the JSON state (edited?); remove it, the file is left as it is", ErrCorruptState, path)
	}
	if f.Version != stateVersion {
		return nil, nil, fmt.Errorf("%w %s: version %d, want %d", ErrCorruptState, path, f.Version, stateVersion)
	}
	keys, hooks, err = f.accounts()
	if err != nil {
		return nil, nil, fmt.Errorf("%w %s: %v", ErrCorruptState, path, err)
	}
	return keys, hooks, nil
}

// accounts returns the API keys of f's accounts and the webhooks of those that have one, or
// says which account is wrong and how, naming the field as the file does and never quoting the
// key.
func (f stateFile) accounts() ([]string, map[string]Webhook, error) {
	keys := make([]string, 0, len(f.Accounts))
	hooks := make(map[string]Webhook, len(f.Accounts))
	for i, a := range f.Accounts {
		switch problem := CheckAPIKey(a.APIKey); {
		case a.APIKey == "":
			return nil, nil, fmt.Errorf("accounts[%d] has no apiKey", i)
		case problem != nil:
			return nil, nil, fmt.Errorf("accounts[%d] has an apiKey that %v", i, problem)
		case slices.Contains(keys, a.APIKey):
			return nil, nil, fmt.Errorf("accounts[%d] repeats the apiKey of an account above it: one account per key", i)
		}
		keys = append(keys, a.APIKey)
		if a.Webhook == nil { // no webhook yet, as a new account
			continue
		}
		w, err := a.Webhook.webhook()
		if err != nil {
			return nil, nil, fmt.Errorf("accounts[%d] %v", i, err)
		}
		hooks[a.APIKey] = w
	}
	return keys, hooks, nil
}

// webhook returns sw as the store holds it, or says what it lacks.
func (sw *stateWebhook) webhook() (Webhook, error) {
	switch {
	case sw.ID == "":
		return Webhook{}, errors.New("has a webhook without an id")
	case sw.Secret == "":
		return Webhook{}, errors.New("has a webhook without a secret")
	}
	w := Webhook{
		ID:                 sw.ID,
		URL:                sw.URL,
		Secret:             sw.Secret,
		Events:             sw.Events,
		Enabled:            sw.Enabled,
		Description:        sw.Description,
		LastResponseStatus: sw.LastResponseStatus,
		FailureCount:       sw.FailureCount,
	}
	if sw.LastTriggeredAt != nil {
		t, err := time.Parse(time.RFC3339Nano, *sw.LastTriggeredAt)
		if err != nil {
			return Webhook{}, fmt.Errorf("has a webhook with a bad lastTriggeredAt: %v", err)
		}
		w.LastTriggeredAt = &t
	}
	return w, nil
}

// writeState writes the accounts of keys, in their order, with the webhooks of those that have
// one in hooks.
func writeState(path string, keys []string, hooks map[string]Webhook) error {
	f := stateFile{Version: stateVersion, Accounts: make([]stateAccount, 0, len(keys))}
	for _, k := range keys {
		a := stateAccount{APIKey: k}
		if w, ok := hooks[k]; ok {
			a.Webhook = &stateWebhook{
				ID: w.ID, URL: w.URL, Secret: w.Secret, Events: w.Events, Enabled: w.Enabled,
				Description: w.Description, LastResponseStatus: w.LastResponseStatus, FailureCount: w.FailureCount,
			}
			if w.LastTriggeredAt != nil {
				t := w.LastTriggeredAt.UTC().Format(timeLayout)
				a.Webhook.LastTriggeredAt = &t
			}
		}
		f.Accounts = append(f.Accounts, a)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// writeFileAtomic replaces path with data: it writes a temporary file in the
// same folder, syncs it, renames it over path and syncs the folder, so that
// path holds the old or the new content, never a part.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // Make the rename durable; best effort.
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// stateDecodeProblem words a decoding error in the file's terms: the JSON path of a value of the
// wrong type. encoding/json names the Go types (sandbox.stateFile), which mean nothing to
// whoever edited the file.
func stateDecodeProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	want := map[reflect.Kind]string{
		reflect.Struct: "an object", reflect.Map: "an object", reflect.Slice: "an array",
		reflect.String: "a string", reflect.Int: "a whole number", reflect.Bool: "true or false",
	}[typeErr.Type.Kind()]
	if want == "" {
		want = "another type"
	}
	where := typeErr.Field
	if where == "" {
		where = "the file"
	}
	return fmt.Sprintf("%s is a JSON %s, want %s", where, typeErr.Value, want)
}

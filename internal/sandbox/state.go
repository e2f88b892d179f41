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

type stateAccount struct {
	APIKey  string       `json:"apiKey"`
	Webhook stateWebhook `json:"webhook"`
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
// A missing file is an empty state. The file is replaced atomically (a
// temporary file in the same folder, fsync, rename), so after a crash it
// holds either the previous or the new state. A file that cannot be read as a
// state is an error wrapping ErrCorruptState; the file is left untouched.
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
	accounts, err := readState(path)
	if err != nil {
		unlock()
		return nil, err
	}
	s := New(opts)
	s.unlockState = sync.OnceFunc(unlock)
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for k, w := range accounts {
		c := w.clone()
		s.store.hooks[k] = &c
	}
	s.store.persist = func(snap map[string]Webhook) {
		if err := writeState(path, snap); err != nil {
			s.logf("could not save the state file: %v", err)
		}
	}
	return s, nil
}

// StateAPIKeys returns the API keys of the accounts in the state file at
// path, sorted; none when the file does not exist. A serve command uses them
// to accept the keys of a previous run.
func StateAPIKeys(path string) ([]string, error) {
	accounts, err := readState(path)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(accounts))
	for k := range accounts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, nil
}

func readState(path string) (map[string]Webhook, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Webhook{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sandbox state file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%w %s: the file is empty; delete it to start with no webhooks", ErrCorruptState, path)
	}
	var f stateFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w %s: %s (truncated or edited?); fix it or delete it to start with no webhooks", ErrCorruptState, path, stateDecodeProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w %s: unexpected data after the JSON state (edited?); remove it, the file is left as it is", ErrCorruptState, path)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("%w %s: version %d, want %d", ErrCorruptState, path, f.Version, stateVersion)
	}
	out := make(map[string]Webhook, len(f.Accounts))
	for i, a := range f.Accounts {
		if a.APIKey == "" || a.Webhook.ID == "" || a.Webhook.Secret == "" {
			return nil, fmt.Errorf("%w %s: account %d lacks an apiKey, a webhook id or a secret", ErrCorruptState, path, i)
		}
		w := Webhook{
			ID:                 a.Webhook.ID,
			URL:                a.Webhook.URL,
			Secret:             a.Webhook.Secret,
			Events:             a.Webhook.Events,
			Enabled:            a.Webhook.Enabled,
			Description:        a.Webhook.Description,
			LastResponseStatus: a.Webhook.LastResponseStatus,
			FailureCount:       a.Webhook.FailureCount,
		}
		if a.Webhook.LastTriggeredAt != nil {
			t, err := time.Parse(time.RFC3339Nano, *a.Webhook.LastTriggeredAt)
			if err != nil {
				return nil, fmt.Errorf("%w %s: account %d: bad lastTriggeredAt: %v", ErrCorruptState, path, i, err)
			}
			w.LastTriggeredAt = &t
		}
		out[a.APIKey] = w
	}
	return out, nil
}

func writeState(path string, accounts map[string]Webhook) error {
	f := stateFile{Version: stateVersion, Accounts: make([]stateAccount, 0, len(accounts))}
	keys := make([]string, 0, len(accounts))
	for k := range accounts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := accounts[k]
		sw := stateWebhook{
			ID: w.ID, URL: w.URL, Secret: w.Secret, Events: w.Events, Enabled: w.Enabled,
			Description: w.Description, LastResponseStatus: w.LastResponseStatus, FailureCount: w.FailureCount,
		}
		if w.LastTriggeredAt != nil {
			t := w.LastTriggeredAt.UTC().Format(timeLayout)
			sw.LastTriggeredAt = &t
		}
		f.Accounts = append(f.Accounts, stateAccount{APIKey: k, Webhook: sw})
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

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The accounts serve accepts: one per --api-key, else those of the --state file, else one with a
// new key. stateHelp is the part of serve's help that describes them and the state file, whose
// format internal/sandbox declares (NewPersistent).
const stateHelp = `Each API key is an account with at most one webhook: repeat --api-key for
several. --state keeps the accounts and their webhooks in a JSON file, which
serve rewrites (mode 0600) after every change and which may be written by
hand. An account without "webhook" has none yet. A webhook needs "id" and
"secret"; "url", "events", "enabled", "description", "lastTriggeredAt",
"lastResponseStatus" and "failureCount" are optional:

  {"version": 1, "accounts": [
    {"apiKey": "key-a"},
    {"apiKey": "key-b", "webhook": {"id": "wh-b", "secret": "whsec_b",
      "url": "https://hooks.example.com/b", "events": ["job.failed"],
      "enabled": true}}]}

Without --api-key, serve accepts the keys of the --state file; with it, only
the keys given (the file keeps the other accounts).`

// apiKeys is serve's --api-key flag, which may be repeated. Its values are checked after
// parsing, by check: an error of the flag package would quote the key.
type apiKeys []string

func (k *apiKeys) String() string { return "" } // no default to show, and never a key

func (k *apiKeys) Set(key string) error {
	*k = append(*k, key)
	return nil
}

// check says which --api-key is wrong and how, without quoting it.
func (k apiKeys) check() error {
	for i, key := range k {
		if err := sandbox.CheckAPIKey(key); err != nil {
			return fmt.Errorf("--api-key %w", err)
		}
		if slices.Contains(k[:i], key) {
			return errors.New("the same --api-key is given twice: one account per key")
		}
	}
	return nil
}

// newSandbox returns the sandbox serve runs, kept in the state file at statePath unless it is "".
// It accepts the keys of opts, else those of the state file's accounts, else one made for this
// run; APIKeys says which.
func newSandbox(opts sandbox.Options, statePath string) (*sandbox.Sandbox, error) {
	var sb *sandbox.Sandbox
	if statePath == "" {
		sb = sandbox.New(opts)
	} else {
		var err error
		if sb, err = sandbox.NewPersistent(opts, statePath); err != nil {
			return nil, err
		}
	}
	if len(opts.APIKeys) == 0 && len(sb.Accounts()) == 0 { // none given, none kept
		sb.SetOptions(func(o *sandbox.Options) { o.APIKeys = []string{newAPIKey()} })
	}
	return sb, nil
}

// keysLine is the line of serve's banner that shows the accounts' keys.
func keysLine(keys []string) string {
	if len(keys) == 1 {
		return "  api_key:  " + keys[0]
	}
	return "  api_keys: " + strings.Join(keys, " ") + " (one account each; the export names the first)"
}

// newAPIKey returns a random key for this run.
func newAPIKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24.
	return "sandbox-" + hex.EncodeToString(b[:])
}

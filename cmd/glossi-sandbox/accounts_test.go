package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// serve takes one account per --api-key; the state file keeps them all, with a webhook or
// not, and a restart without --api-key accepts them again.
func TestServe_oneAccountPerAPIKeyKeptAcrossRestarts(t *testing.T) {
	clearEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	s := startServe(t, "--api-key", "key-a", "--api-key", "key-b", "--state", state)
	if !strings.Contains(s.stdout.String(), "api_keys: key-a key-b") || s.apiKey != "key-a" {
		t.Errorf("banner:\n%s\nwant both keys listed and the first exported", s.stdout.String())
	}
	s.apiKey = "key-b"
	s.put(t, `{"url":"https://example.com/b","events":["job.failed"]}`)
	for key, want := range map[string]int{"key-a": http.StatusNotFound, "key-b": http.StatusOK, "key-c": http.StatusUnauthorized} {
		if got := s.status(t, key); got != want {
			t.Errorf("GET with %s: %d, want %d", key, got, want)
		}
	}
	s.stop(t)

	again := startServe(t, "--state", state)
	for key, want := range map[string]int{"key-a": http.StatusNotFound, "key-b": http.StatusOK} {
		if got := again.status(t, key); got != want {
			t.Errorf("after a restart, GET with %s: %d, want %d", key, got, want)
		}
	}
}

// Without --api-key, and without accounts kept in --state, serve makes a key of its own, not the
// sandbox's placeholder; the state file keeps it with its webhook, so a restart accepts it again.
func TestServe_keyMadeWhenNoneGivenOrKept(t *testing.T) {
	clearEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	inMemory, kept := startServe(t), startServe(t, "--state", state)
	for name, s := range map[string]*server{"in memory": inMemory, "with a new state file": kept} {
		if !strings.HasPrefix(s.apiKey, "sandbox-") {
			t.Errorf("%s, serve exports a key it did not make (the placeholder: %t)", name, s.apiKey == sandbox.DefaultAPIKey)
		}
	}
	kept.put(t, `{"url":"https://example.com/a","events":["job.failed"]}`)
	kept.stop(t)
	if again := startServe(t, "--state", state); again.apiKey != kept.apiKey {
		t.Error("after a restart, serve exports another key than the one it made and kept")
	}
}

// A bad --api-key is a usage error that never quotes a key.
func TestServe_badAPIKeyRefusedWithoutQuotingIt(t *testing.T) {
	clearEnv(t)
	const key = "key-never-shown"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--api-key", ""}, "--api-key is empty"},
		{[]string{"--api-key", key + " x"}, "holds a space"},
		{[]string{"--api-key", key, "--api-key", "other", "--api-key", key}, "the same --api-key is given twice"},
	} {
		r := runCmd(t, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if r.code != exitUsage || strings.Contains(r.stderr, key) {
			t.Errorf("%q: code %d, stderr %q; want %d, without the key", tc.args, r.code, r.stderr, exitUsage)
		}
		r.oneErrorLine(t, tc.want)
	}
}

// The state file shown in serve --help is one serve reads as the help says: both accounts, one
// without a webhook.
func TestServe_stateHelpExampleServes(t *testing.T) {
	clearEnv(t)
	help := runCmd(t, "", "serve", "--help").stdout
	start, end := strings.Index(help, `{"version"`), strings.Index(help, "}}]}")
	if start < 0 || end < start {
		t.Fatalf("serve --help shows no state file:\n%s", help)
	}
	state := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(state, []byte(help[start:end+len("}}]}")]), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--state", state)
	if !strings.Contains(s.stdout.String(), "api_keys: key-a key-b") {
		t.Errorf("banner:\n%s\nwant the two accounts of the example", s.stdout.String())
	}
	s.apiKey = "key-b"
	if got := s.get(t); got["url"] != "https://hooks.example.com/b" || got["enabled"] != true {
		t.Errorf("key-b's webhook: %v", got)
	}
	if got := s.status(t, "key-a"); got != http.StatusNotFound {
		t.Errorf("key-a, an account without a webhook: %d, want 404", got)
	}
}

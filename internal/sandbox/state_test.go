package sandbox_test

import (
	"errors"
	"os"
	"path/filepath"
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

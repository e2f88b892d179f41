package sandbox_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Two sandboxes on one state file would lose each other's updates: the second refuses.
func TestNewPersistent_secondOnSameFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sandbox.NewPersistent(sandbox.Options{}, path)
	if !errors.Is(err, sandbox.ErrStateInUse) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second NewPersistent = %v, want ErrStateInUse naming the file", err)
	}
	_ = first.Close()
	again, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if err != nil {
		t.Fatalf("after Close the file must be usable again: %v", err)
	}
	_ = again.Close()
}

// Trailing data after the JSON is refused, and the file is left as it was.
func TestNewPersistent_trailingGarbageRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	content := `{"version":1,"accounts":[]}` + "\n{\"half\": "
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if !errors.Is(err, sandbox.ErrCorruptState) || !strings.Contains(err.Error(), "unexpected data after the JSON") {
		t.Fatalf("NewPersistent = %v, want ErrCorruptState about trailing data", err)
	}
	if got, _ := os.ReadFile(path); string(got) != content {
		t.Errorf("the file was changed to %q", got)
	}
}

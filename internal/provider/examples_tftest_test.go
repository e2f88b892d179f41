package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exampleFiles reads every file under examplesDir/dir, keyed by its path relative to dir.
func exampleFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	root := filepath.Join(examplesDir, dir)
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The `terraform test` example checks a receiver module with the provider functions; every run
// block passes.
func TestExamples_terraformTestReceiverModule(t *testing.T) {
	t.Parallel()
	files := exampleFiles(t, "terraform-test/receiver")
	ws := newCLIWorkspace(t, nil)
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ws.dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws.dir, name), content)
	}
	out := ws.run(t, "test", "-no-color")
	if !strings.Contains(out, "Success! 3 passed, 0 failed.") {
		t.Errorf("terraform test of examples/terraform-test/receiver did not pass its 3 runs:\n%s", out)
	}
}

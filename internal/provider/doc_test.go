package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The package doc is the map of the package: it names every file but the tests and itself, and
// no file that is not there.
func TestPackageDoc_namesEveryFileAndNoOther(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, name := range regexp.MustCompile(`[a-z0-9_/]+\.(?:go|txt)\b`).FindAllString(string(doc), -1) {
		named[name] = true
		if _, statErr := os.Stat(name); statErr != nil {
			t.Errorf("doc.go names %s, which is not in the package: %v", name, statErr)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if !named[file] && !strings.HasSuffix(file, "_test.go") && file != "doc.go" {
			t.Errorf("doc.go does not name %s: say in it what the file owns", file)
		}
	}
}

package release

import (
	"os"
	"strings"
	"testing"
)

func TestOpen_readsVersionAndChecksums(t *testing.T) {
	f := newFixture(t)
	d, err := Open(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "0.1.0" {
		t.Errorf("Version = %q, want 0.1.0", d.Version)
	}
	if len(d.Listed) != len(Platforms)+1 {
		t.Errorf("Listed has %d files, want %d zips and the manifest", len(d.Listed), len(Platforms))
	}
	if _, ok := d.SHA256(ManifestName("0.1.0")); !ok {
		t.Error("the manifest is not listed")
	}
	m, err := d.Manifest()
	if err != nil || m.Version != 1 || strings.Join(m.Metadata.ProtocolVersions, ",") != "6.0" {
		t.Errorf("Manifest() = %+v, %v; want version 1, protocols 6.0", m, err)
	}
}

func TestOpen_refusesWhatTerraformCannotRead(t *testing.T) {
	cases := []struct {
		name string
		sums string
		want string
	}{
		{"a line with one space", strings.Repeat("a", 64) + " x.zip\n", `line 1 is not`},
		{"upper-case hex", strings.Repeat("A", 64) + "  x.zip\n", `line 1 is not`},
		{"a file listed twice", strings.Repeat("a", 64) + "  x.zip\n" + strings.Repeat("b", 64) + "  x.zip\n", `line 2 lists x.zip a second time`},
		{"no line", "", `it lists no file`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(dir+"/"+SumsName("0.1.0"), []byte(tc.sums), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestOpen_refusesAFolderWithoutOneChecksumFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "holds 0 checksum files") {
		t.Errorf("with no checksum file: Open() error = %v, want \"holds 0 checksum files\"", err)
	}
	for _, version := range []string{"0.1.0", "0.2.0"} {
		if err := os.WriteFile(dir+"/"+SumsName(version), []byte(strings.Repeat("a", 64)+"  x.zip\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "holds 2 checksum files") {
		t.Errorf("with two checksum files: Open() error = %v, want \"holds 2 checksum files\"", err)
	}
}

package release

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Dist is a release folder as goreleaser leaves it (dist/): read, not yet verified.
type Dist struct {
	// Dir is the folder.
	Dir string

	// Version is the version of the release without a leading v, from the checksum file's name.
	Version string

	// Sums is the checksum file as it is on disk: the bytes its signature signs.
	Sums []byte

	// Listed is the checksum file parsed, in its order.
	Listed []Checksum
}

// Checksum is one line of a checksum file: the SHA-256 (lower-case hex) of the file Name.
type Checksum struct {
	SHA256 string
	Name   string
}

// sumsLine is the only line form of a checksum file that Terraform and OpenTofu read:
// sha256sum's "<hex>  <name>".
var sumsLine = regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)

// Open reads the release in dir: it finds the one checksum file, takes the version from its
// name, and parses it. It checks nothing else; Verify does.
func Open(dir string) (*Dist, error) {
	pattern := filepath.Join(dir, ProjectName+"_*_SHA256SUMS")
	found, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("%s holds %d checksum files named %s_<version>_SHA256SUMS, want exactly one: is it the output of goreleaser (make release-dry-run)?",
			dir, len(found), ProjectName)
	}
	name := filepath.Base(found[0])
	version := strings.TrimSuffix(strings.TrimPrefix(name, ProjectName+"_"), "_SHA256SUMS")
	sums, err := os.ReadFile(found[0])
	if err != nil {
		return nil, err
	}
	listed, err := parseSums(sums)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Dist{Dir: dir, Version: version, Sums: sums, Listed: listed}, nil
}

func parseSums(sums []byte) ([]Checksum, error) {
	var listed []Checksum
	seen := map[string]bool{}
	scanner := bufio.NewScanner(bytes.NewReader(sums))
	for n := 1; scanner.Scan(); n++ {
		m := sumsLine.FindStringSubmatch(scanner.Text())
		if m == nil {
			return nil, fmt.Errorf("line %d is not `<sha256 in lower-case hex>  <file name>`: %q", n, scanner.Text())
		}
		if seen[m[2]] {
			return nil, fmt.Errorf("line %d lists %s a second time", n, m[2])
		}
		seen[m[2]] = true
		listed = append(listed, Checksum{SHA256: m[1], Name: m[2]})
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if len(listed) == 0 {
		return nil, errors.New("it lists no file")
	}
	return listed, nil
}

// Path is the path of the release file name.
func (d *Dist) Path(name string) string { return filepath.Join(d.Dir, name) }

// SHA256 is the checksum the checksum file lists for name, and whether it lists name.
func (d *Dist) SHA256(name string) (string, bool) {
	for _, c := range d.Listed {
		if c.Name == name {
			return c.SHA256, true
		}
	}
	return "", false
}

// Manifest is the registry manifest (terraform-registry-manifest.json, released as
// <project>_<version>_manifest.json).
type Manifest struct {
	Version  int `json:"version"`
	Metadata struct {
		ProtocolVersions []string `json:"protocol_versions"`
	} `json:"metadata"`
}

// Manifest reads the release's registry manifest.
func (d *Dist) Manifest() (Manifest, error) { return readManifest(d.Path(ManifestName(d.Version))) }

// readManifest reads a registry manifest, refusing a field the format does not have.
func readManifest(path string) (Manifest, error) {
	var m Manifest
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("%s is not the registry manifest's JSON: %w", filepath.Base(path), err)
	}
	return m, nil
}

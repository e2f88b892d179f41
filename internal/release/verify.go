package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Options is what Verify holds a release to besides its own files.
type Options struct {
	// PublicKey is the ASCII-armored OpenPGP public key that must have signed the checksum
	// file: the key registered with the Terraform Registry and the OpenTofu registry.
	PublicKey []byte

	// Protocols are the plugin protocol versions the provider serves ("6.0"), as
	// ServedProtocols finds them by running the binary: the manifest must list exactly these.
	Protocols []string

	// Version, when not empty, is the version the release must have: the tag without its v.
	Version string
}

// Verify checks the release d as terraform init and the Registry will read it, and returns
// the key that signed it. The error joins every problem found, one per line:
//   - one zip for each of the Platforms and no other zip;
//   - each zip holds only the provider binary, named terraform-provider-glossi_v<version>
//     (.exe on windows);
//   - the checksum file lists exactly the zips and the manifest, and every hash matches;
//   - its .sig is a binary detached signature that verifies with opts.PublicKey;
//   - the manifest's protocol_versions are opts.Protocols.
func Verify(d *Dist, opts Options) (Signer, error) {
	var problems []error
	if opts.Version != "" && d.Version != opts.Version {
		problems = append(problems, fmt.Errorf("the release in %s is version %s, want %s", d.Dir, d.Version, opts.Version))
	}
	problems = append(problems, checkListing(d), checkFiles(d), checkHashes(d))
	for _, p := range Platforms {
		problems = append(problems, checkZip(d, p))
	}
	signer, err := checkSignature(d, opts.PublicKey)
	problems = append(problems, err, checkManifest(d, opts.Protocols))
	return signer, errors.Join(problems...)
}

// Checked is a release Check passed.
type Checked struct {
	Dist *Dist

	// Signer is the key that signed its checksum file.
	Signer Signer

	// Protocols are the protocol versions its binary for this machine serves, which its
	// manifest lists.
	Protocols []string
}

// Check opens the release in dir and verifies it (Verify) against the ASCII-armored
// publicKey, the protocols its binary for this machine serves (Dist.ServedProtocols), and
// version unless it is empty: the check release-verify runs before a release is published, and
// the install proof before it installs one.
func Check(ctx context.Context, dir string, publicKey []byte, version string) (Checked, error) {
	d, err := Open(dir)
	if err != nil {
		return Checked{}, err
	}
	served, servedErr := d.ServedProtocols(ctx)
	signer, err := Verify(d, Options{PublicKey: publicKey, Protocols: served, Version: version})
	return Checked{Dist: d, Signer: signer, Protocols: served}, errors.Join(servedErr, err)
}

// releaseFiles are the files the checksum file must list: the zips and the manifest.
func releaseFiles(version string) []string {
	names := make([]string, 0, len(Platforms)+1)
	for _, p := range Platforms {
		names = append(names, ZipName(version, p))
	}
	return append(names, ManifestName(version))
}

// checkListing checks that the checksum file lists exactly the zips and the manifest.
func checkListing(d *Dist) error {
	want := releaseFiles(d.Version)
	var problems []error
	for _, c := range d.Listed {
		if !slices.Contains(want, c.Name) {
			problems = append(problems, fmt.Errorf("%s lists %s, which is neither a zip of the release nor its manifest",
				SumsName(d.Version), c.Name))
		}
	}
	for _, name := range want {
		if _, ok := d.SHA256(name); !ok {
			problems = append(problems, fmt.Errorf("%s does not list %s", SumsName(d.Version), name))
		}
	}
	return errors.Join(problems...)
}

// checkFiles checks that the folder holds every file of the release and no other zip (a zip
// for a platform the release does not name would be published all the same).
func checkFiles(d *Dist) error {
	want := releaseFiles(d.Version)
	var problems []error
	for _, name := range slices.Concat(want, []string{SigName(d.Version)}) {
		if _, err := os.Stat(d.Path(name)); err != nil {
			problems = append(problems, fmt.Errorf("%s is missing: %w", name, err))
		}
	}
	zips, err := filepath.Glob(filepath.Join(d.Dir, "*.zip"))
	if err != nil {
		return err
	}
	for _, z := range zips {
		if !slices.Contains(want, filepath.Base(z)) {
			problems = append(problems, fmt.Errorf("%s holds %s, which is not a zip of the %d platforms of the release",
				d.Dir, filepath.Base(z), len(Platforms)))
		}
	}
	return errors.Join(problems...)
}

// checkHashes checks every listed file that exists against its listed SHA-256.
func checkHashes(d *Dist) error {
	var problems []error
	for _, c := range d.Listed {
		got, err := fileSHA256(d.Path(c.Name))
		if errors.Is(err, os.ErrNotExist) {
			continue // checkFiles or checkListing reports it
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if got != c.SHA256 {
			problems = append(problems, fmt.Errorf("%s: SHA-256 %s, but %s lists %s", c.Name, got, SumsName(d.Version), c.SHA256))
		}
	}
	return errors.Join(problems...)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkManifest checks that the manifest is version 1 and lists exactly the protocols the
// provider serves.
func checkManifest(d *Dist, served []string) error {
	m, err := d.Manifest()
	if errors.Is(err, os.ErrNotExist) {
		return nil // checkFiles reports it
	}
	if err != nil {
		return err
	}
	name := ManifestName(d.Version)
	if m.Version != 1 {
		return fmt.Errorf("%s has version %d, want 1", name, m.Version)
	}
	if len(served) == 0 {
		return fmt.Errorf("%s cannot be checked: no protocol version served by the provider was given", name)
	}
	got, want := slices.Sorted(slices.Values(m.Metadata.ProtocolVersions)), slices.Sorted(slices.Values(served))
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s lists protocol_versions %q, but the provider serves %q", name, got, want)
	}
	return nil
}

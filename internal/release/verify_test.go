package release

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

func TestVerify_acceptsACompleteSignedRelease(t *testing.T) {
	f := newFixture(t)
	signer, err := f.verify()
	if err != nil {
		t.Fatalf("a complete release signed with the key was refused:\n%v", err)
	}
	want := Signer{KeyID: strings.ToUpper(f.key.PrimaryKey.KeyIdString()), Algorithm: "RSA", Bits: 2048}
	if signer != want {
		t.Errorf("signer = %+v, want %+v", signer, want)
	}
}

// Each case breaks a complete, signed release the way a release can break, and Verify must
// say so. A case that re-signs the checksum file breaks only what its name says.
func TestVerify_refusesABrokenRelease(t *testing.T) {
	linux := Platform{"linux", "amd64"}
	cases := []struct {
		name   string
		breaks func(f *fixture)
		want   string // a regexp the error must match
	}{
		{
			name: "checksum file tampered by one byte",
			breaks: func(f *fixture) {
				sums := f.readFile(SumsName(f.version))
				sums[0] ^= 1 // '0'..'f' stays one character: the line keeps its form
				f.writeFile(SumsName(f.version), sums)
			},
			want: `SHA256SUMS\.sig does not verify terraform-provider-glossi_0\.1\.0_SHA256SUMS`,
		},
		{
			name: "checksum file lists its own signature, as goreleaser v2.15 writes it after signing",
			breaks: func(f *fixture) {
				f.writeSums(append(releaseFiles(f.version), SigName(f.version))...)
			},
			want: `(?s)lists terraform-provider-glossi_0\.1\.0_SHA256SUMS\.sig, which is neither a zip.*does not verify`,
		},
		{
			name: "ASCII-armored signature",
			breaks: func(f *fixture) {
				var sig bytes.Buffer
				if err := openpgp.ArmoredDetachSign(&sig, f.key, bytes.NewReader(f.readFile(SumsName(f.version))), nil); err != nil {
					t.Fatal(err)
				}
				f.writeFile(SigName(f.version), sig.Bytes())
			},
			want: `SHA256SUMS\.sig is ASCII-armored: terraform init reads only a binary signature`,
		},
		{
			name: "signed by another key",
			breaks: func(f *fixture) {
				f.signWith(newKey(t, packet.PubKeyAlgoEdDSA))
			},
			want: `SHA256SUMS\.sig does not verify .* with the public key .*unknown entity`,
		},
		{
			name: "signed by a key of an algorithm the Terraform Registry refuses",
			breaks: func(f *fixture) {
				f.key = newKey(t, packet.PubKeyAlgoEdDSA)
				f.sign()
			},
			want: `SHA256SUMS\.sig is signed by key [0-9A-F]{16} of OpenPGP algorithm 22: the Terraform Registry accepts only RSA and DSA keys`,
		},
		{
			name: "zip holding two files",
			breaks: func(f *fixture) {
				f.writeZip(linux,
					zipEntry{name: BinaryName(f.version, linux), body: "binary", mode: 0o755},
					zipEntry{name: "README.md", body: "readme", mode: 0o644})
				f.writeSums(releaseFiles(f.version)...)
				f.sign()
			},
			want: `linux_amd64\.zip holds 2 files \(terraform-provider-glossi_v0\.1\.0, README\.md\), want only terraform-provider-glossi_v0\.1\.0$`,
		},
		{
			name: "binary named without the v",
			breaks: func(f *fixture) {
				f.writeZip(linux, zipEntry{name: ProjectName + "_0.1.0", body: "binary", mode: 0o755})
				f.writeSums(releaseFiles(f.version)...)
				f.sign()
			},
			want: `linux_amd64\.zip holds terraform-provider-glossi_0\.1\.0, want terraform-provider-glossi_v0\.1\.0$`,
		},
		{
			name: "binary not executable",
			breaks: func(f *fixture) {
				f.writeZip(linux, zipEntry{name: BinaryName(f.version, linux), body: "binary", mode: 0o644})
				f.writeSums(releaseFiles(f.version)...)
				f.sign()
			},
			want: `linux_amd64\.zip: terraform-provider-glossi_v0\.1\.0 is not executable`,
		},
		{
			name: "checksum file lacking the manifest",
			breaks: func(f *fixture) {
				f.writeSums(releaseFiles(f.version)[:len(Platforms)]...)
				f.sign()
			},
			want: `SHA256SUMS does not list terraform-provider-glossi_0\.1\.0_manifest\.json$`,
		},
		{
			name: "zip changed after it was listed",
			breaks: func(f *fixture) {
				f.writeZip(linux, zipEntry{name: BinaryName(f.version, linux), body: "another binary", mode: 0o755})
			},
			want: `linux_amd64\.zip: SHA-256 [0-9a-f]{64}, but terraform-provider-glossi_0\.1\.0_SHA256SUMS lists [0-9a-f]{64}$`,
		},
		{
			name: "a platform missing",
			breaks: func(f *fixture) {
				if err := os.Remove(f.path(ZipName(f.version, Platform{"freebsd", "arm"}))); err != nil {
					t.Fatal(err)
				}
			},
			want: `terraform-provider-glossi_0\.1\.0_freebsd_arm\.zip is missing`,
		},
		{
			name: "a zip for a platform the release does not ship",
			breaks: func(f *fixture) {
				f.writeZip(Platform{"windows", "arm"}, zipEntry{name: ProjectName + "_v0.1.0.exe", body: "binary", mode: 0o755})
			},
			want: `holds terraform-provider-glossi_0\.1\.0_windows_arm\.zip, which is not a zip of the 13 platforms`,
		},
		{
			name: "manifest naming a protocol the provider does not serve",
			breaks: func(f *fixture) {
				f.writeFile(ManifestName(f.version), []byte(`{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`))
				f.writeSums(releaseFiles(f.version)...)
				f.sign()
			},
			want: `manifest\.json lists protocol_versions \["5\.0"\], but the provider serves \["6\.0"\]`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.breaks(f)
			_, err := f.verify()
			if err == nil {
				t.Fatal("the broken release was accepted")
			}
			if !regexp.MustCompile(`(?m)` + tc.want).MatchString(err.Error()) {
				t.Errorf("error does not match %q:\n%v", tc.want, err)
			}
		})
	}
}

func TestVerify_refusesAnotherVersionThanTheTag(t *testing.T) {
	f := newFixture(t)
	d, err := Open(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Verify(d, Options{PublicKey: armoredPublicKey(t, f.key), Protocols: []string{"6.0"}, Version: "0.2.0"})
	if err == nil || !strings.Contains(err.Error(), "is version 0.1.0, want 0.2.0") {
		t.Errorf("err = %v, want the version named", err)
	}
}

// Check starts this machine's binary of the release to learn the protocols it serves, and
// holds the manifest (protocol 6.0 in the fixture) to them.
func TestCheck_holdsTheManifestToTheProtocolsTheBinaryServes(t *testing.T) {
	cases := []struct {
		name, handshake string
		want            string // a regexp of the error; empty: Check passes
	}{
		{"the binary serves protocol 6, as the manifest says", "1|6|unix|/tmp/plugin1|grpc|", ""},
		{"the binary serves protocol 5", "1|5|unix|/tmp/plugin1|grpc|", `lists protocol_versions \["6.0"\], but the provider serves \["5.0"\]`},
		{"the binary is no plugin", "Hello, world", `did not answer the plugin handshake(.|\n)*no protocol version served by the provider was given`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			host := HostPlatform()
			plugin, err := os.ReadFile(fakePlugin(t, tc.handshake))
			if err != nil {
				t.Fatal(err)
			}
			f.writeZip(host, zipEntry{name: BinaryName(f.version, host), body: string(plugin), mode: 0o755})
			f.writeSums(releaseFiles(f.version)...)
			f.sign()

			checked, err := Check(context.Background(), f.dir, armoredPublicKey(t, f.key), "")
			if tc.want != "" {
				if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
					t.Errorf("err = %v, want one matching %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("a release whose binary serves what its manifest lists was refused:\n%v", err)
			}
			keyID := strings.ToUpper(f.key.PrimaryKey.KeyIdString())
			if checked.Dist.Version != f.version || checked.Signer.KeyID != keyID || !slices.Equal(checked.Protocols, []string{"6.0"}) {
				t.Errorf("Check() = version %s, signer %s, protocols %q; want %s, %s, [6.0]",
					checked.Dist.Version, checked.Signer.KeyID, checked.Protocols, f.version, keyID)
			}
		})
	}
}

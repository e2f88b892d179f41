package release

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// testManifest is the registry manifest of a fixture release, as terraform-registry-manifest.json.
const testManifest = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`

// makeKey makes an OpenPGP key of algorithm algo; RSA keys are 2048 bits to keep tests quick.
func makeKey(algo packet.PublicKeyAlgorithm) (*openpgp.Entity, error) {
	return openpgp.NewEntity("release test", "", "release-test@example.com",
		&packet.Config{Algorithm: algo, RSABits: 2048})
}

func newKey(t *testing.T, algo packet.PublicKeyAlgorithm) *openpgp.Entity {
	t.Helper()
	key, err := makeKey(algo)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// rsaKey is the RSA key every fixture is signed with, made once: RSA key generation is slow.
var rsaKey = sync.OnceValues(func() (*openpgp.Entity, error) { return makeKey(packet.PubKeyAlgoRSA) })

// armoredPublicKey is key's public half, ASCII-armored, as it is registered with a registry.
func armoredPublicKey(t *testing.T, key *openpgp.Entity) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fixture is a release in a temporary folder, complete and correctly signed until a test
// changes it.
type fixture struct {
	t       *testing.T
	dir     string
	version string
	key     *openpgp.Entity
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	key, err := rsaKey()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, dir: t.TempDir(), version: "0.1.0", key: key}
	for _, p := range Platforms {
		f.writeZip(p, zipEntry{name: BinaryName(f.version, p), body: "binary for " + p.String(), mode: 0o755})
	}
	f.writeFile(ManifestName(f.version), []byte(testManifest))
	f.writeSums(releaseFiles(f.version)...)
	f.sign()
	return f
}

type zipEntry struct {
	name string
	body string
	mode os.FileMode
}

func (f *fixture) path(name string) string { return filepath.Join(f.dir, name) }

func (f *fixture) writeFile(name string, content []byte) {
	f.t.Helper()
	if err := os.WriteFile(f.path(name), content, 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) readFile(name string) []byte {
	f.t.Helper()
	content, err := os.ReadFile(f.path(name))
	if err != nil {
		f.t.Fatal(err)
	}
	return content
}

// writeZip writes the zip of platform p holding entries.
func (f *fixture) writeZip(p Platform, entries ...zipEntry) {
	f.t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			f.t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.writeFile(ZipName(f.version, p), buf.Bytes())
}

// writeSums writes the checksum file listing names with their current hashes.
func (f *fixture) writeSums(names ...string) {
	f.t.Helper()
	var sums bytes.Buffer
	for _, name := range names {
		h := sha256.Sum256(f.readFile(name))
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(h[:]), name)
	}
	f.writeFile(SumsName(f.version), sums.Bytes())
}

// sign writes a binary detached signature of the checksum file by the fixture's key, as
// gpg --detach-sign does.
func (f *fixture) sign() { f.signWith(f.key) }

func (f *fixture) signWith(key *openpgp.Entity) {
	f.t.Helper()
	var sig bytes.Buffer
	if err := openpgp.DetachSign(&sig, key, bytes.NewReader(f.readFile(SumsName(f.version))), nil); err != nil {
		f.t.Fatal(err)
	}
	f.writeFile(SigName(f.version), sig.Bytes())
}

// verify opens and verifies the fixture with its own public key, against protocol 6.
func (f *fixture) verify() (Signer, error) {
	f.t.Helper()
	d, err := Open(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	return Verify(d, Options{PublicKey: armoredPublicKey(f.t, f.key), Protocols: []string{"6.0"}})
}

//go:build releaseproof

package release

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// registry serves a release over HTTPS on loopback in the provider registry protocol, as a
// registry host localhost:<port> would: service discovery, the versions and download
// endpoints (with the signing key), and the files. Only files of the release are served, from
// disk.
type registry struct {
	host      string // localhost:<port>, the host of the provider's source address
	dist      *Dist
	keyID     string
	key       []byte   // ASCII-armored public key, served as the signing key
	protocols []string // the manifest's protocol_versions
	files     []string // the names /files/<name> answers
	replaced  map[string][]byte
	server    *httptest.Server
}

// The provider's namespace and type on every registry.
const (
	registryNamespace = "glossi"
	registryType      = "glossi"
)

// startRegistry serves the checked release, signed by its Signer, whose ASCII-armored
// publicKey it gives as the signing key, replacing the files named in replace with their given
// content (a tampered checksum file). Its certificate is cert's.
func startRegistry(t *testing.T, cert tls.Certificate, checked Checked, publicKey []byte, replace map[string][]byte) *registry {
	t.Helper()
	d := checked.Dist
	m, err := d.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	r := &registry{dist: d, key: publicKey, keyID: checked.Signer.KeyID, protocols: m.Metadata.ProtocolVersions,
		files: append(releaseFiles(d.Version), SumsName(d.Version), SigName(d.Version)), replaced: replace}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/v1/providers/"})
	})
	base := "/v1/providers/" + registryNamespace + "/" + registryType
	mux.HandleFunc("GET "+base+"/versions", r.versions)
	mux.HandleFunc("GET "+base+"/{version}/download/{os}/{arch}", r.download)
	mux.HandleFunc("GET /files/{name}", r.file)
	r.server = httptest.NewUnstartedServer(mux)
	r.server.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	r.server.StartTLS()
	t.Cleanup(r.server.Close)
	_, port, _ := net.SplitHostPort(r.server.Listener.Addr().String())
	r.host = "localhost:" + port
	return r
}

// source is the provider's source address on this registry.
func (r *registry) source() string { return r.host + "/" + registryNamespace + "/" + registryType }

func (r *registry) versions(w http.ResponseWriter, _ *http.Request) {
	platforms := make([]map[string]string, len(Platforms))
	for i, p := range Platforms {
		platforms[i] = map[string]string{"os": p.OS, "arch": p.Arch}
	}
	writeJSON(w, map[string]any{"versions": []map[string]any{
		{"version": r.dist.Version, "protocols": r.protocols, "platforms": platforms},
	}})
}

func (r *registry) download(w http.ResponseWriter, req *http.Request) {
	p := Platform{req.PathValue("os"), req.PathValue("arch")}
	zipName := ZipName(r.dist.Version, p)
	shasum, ok := r.dist.SHA256(zipName)
	if req.PathValue("version") != r.dist.Version || !ok {
		http.NotFound(w, req)
		return
	}
	files := "https://" + r.host + "/files/"
	writeJSON(w, map[string]any{
		"protocols":             r.protocols,
		"os":                    p.OS,
		"arch":                  p.Arch,
		"filename":              zipName,
		"download_url":          files + zipName,
		"shasums_url":           files + SumsName(r.dist.Version),
		"shasums_signature_url": files + SigName(r.dist.Version),
		"shasum":                shasum,
		"signing_keys": map[string]any{"gpg_public_keys": []map[string]string{
			{"key_id": r.keyID, "ascii_armor": string(r.key)},
		}},
	})
}

// file answers a file of the release, or its replacement.
func (r *registry) file(w http.ResponseWriter, req *http.Request) {
	name := req.PathValue("name")
	if content, ok := r.replaced[name]; ok {
		_, _ = w.Write(content)
		return
	}
	if !slices.Contains(r.files, name) {
		http.NotFound(w, req)
		return
	}
	http.ServeFile(w, req, r.dist.Path(name))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// selfSignedCertificate makes a certificate for localhost and the loopback addresses, and
// writes it as PEM to a file to hand to the CLIs as SSL_CERT_FILE (Go reads its roots there).
func selfSignedCertificate(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pemFile := filepath.Join(t.TempDir(), "registry-ca.pem")
	if err := os.WriteFile(pemFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemFile
}

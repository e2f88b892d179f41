package release

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Signer is the key that signed a release's checksum file.
type Signer struct {
	// KeyID is the key's 64-bit ID in upper-case hex, as terraform init prints it.
	KeyID string

	// Algorithm is "RSA" or "DSA", the algorithms the Terraform Registry accepts.
	Algorithm string

	// Bits is the key's size.
	Bits int
}

func (s Signer) String() string { return fmt.Sprintf("%s %d key %s", s.Algorithm, s.Bits, s.KeyID) }

// registryAlgorithms are the key algorithms the Terraform Registry accepts for signing keys.
var registryAlgorithms = map[packet.PublicKeyAlgorithm]string{
	packet.PubKeyAlgoRSA:         "RSA",
	packet.PubKeyAlgoRSASignOnly: "RSA",
	packet.PubKeyAlgoDSA:         "DSA",
}

// armorPrefix starts every ASCII-armored OpenPGP block.
var armorPrefix = []byte("-----BEGIN PGP ")

// checkSignature checks that the checksum file's signature is a binary detached OpenPGP
// signature by an RSA or DSA key of the ASCII-armored publicKey, with the library Terraform
// itself verifies it with.
func checkSignature(d *Dist, publicKey []byte) (Signer, error) {
	name := SigName(d.Version)
	sig, err := os.ReadFile(d.Path(name))
	if err != nil {
		return Signer{}, fmt.Errorf("the signature of the checksum file: %w", err)
	}
	if bytes.HasPrefix(bytes.TrimSpace(sig), armorPrefix) {
		return Signer{}, fmt.Errorf("%s is ASCII-armored: terraform init reads only a binary signature (gpg --detach-sign without --armor) and fails with \"openpgp: invalid data: tag byte does not have MSB set\"", name)
	}
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(publicKey))
	if err != nil {
		return Signer{}, fmt.Errorf("reading the ASCII-armored public key: %w", err)
	}
	packetSig, _, err := openpgp.VerifyDetachedSignature(keyring, bytes.NewReader(d.Sums), bytes.NewReader(sig), nil)
	if err != nil {
		return Signer{}, fmt.Errorf("%s does not verify %s with the public key (terraform init refuses such a release): %w",
			name, SumsName(d.Version), err)
	}
	// VerifyDetachedSignature verified the signature with one of these keys: there is one.
	key := keyring.KeysByIdUsage(*packetSig.IssuerKeyId, packet.KeyFlagSign)[0].PublicKey
	bits, err := key.BitLength()
	if err != nil {
		return Signer{}, fmt.Errorf("the signing key's size: %w", err)
	}
	signer := Signer{KeyID: fmt.Sprintf("%016X", key.KeyId), Algorithm: registryAlgorithms[key.PubKeyAlgo], Bits: int(bits)}
	if signer.Algorithm == "" {
		return signer, fmt.Errorf("%s is signed by key %s of OpenPGP algorithm %d: the Terraform Registry accepts only RSA and DSA keys",
			name, signer.KeyID, key.PubKeyAlgo)
	}
	return signer, nil
}

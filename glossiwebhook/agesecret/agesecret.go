// Package agesecret reads the webhook secret that the glossi_webhook resource
// keeps encrypted with age (https://age-encryption.org) when its
// secret_recipients are set: secret_ciphertext and previous_secret_ciphertext
// are ASCII-armored age files, each encrypted to every recipient, and only
// the identities of those recipients can read them.
//
//	ids, err := agesecret.ParseIdentities(identityFileBytes) // AGE-SECRET-KEY-1... or an SSH private key
//	secret, err := ids.Decrypt(secretCiphertext)
//	v, err := glossiwebhook.NewVerifier(secret)
//
// Encrypt is the other half, the one the provider uses. The package is apart
// from glossiwebhook so that glossiwebhook stays standard-library only: this
// one adds filippo.io/age. Its errors never hold a secret or a private key.
package agesecret

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"golang.org/x/crypto/ssh"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// ErrNotForIdentity is what Decrypt returns when the ciphertext is not
// encrypted to any of the identities: their recipient is not among the
// resource's secret_recipients (or was not when the ciphertext was made).
var ErrNotForIdentity = errors.New("not encrypted to this identity")

// maxSecretBytes bounds what Decrypt reads: a secret is short, a ciphertext
// that decrypts to more is not one.
const maxSecretBytes = 4 << 10

// CheckRecipient reports whether s is a recipient Encrypt accepts: an age
// X25519 recipient (age1...) or an SSH public key (ssh-ed25519 or ssh-rsa,
// as in an authorized_keys file). A public key is no secret: the error quotes
// it, unless it is a private key.
func CheckRecipient(s string) error {
	_, err := parseRecipient(s)
	return err
}

func parseRecipient(s string) (age.Recipient, error) {
	switch {
	case isPrivateKey(s):
		return nil, errors.New("a private key was given as a recipient (it is not repeated here): give its public key " +
			"(age-keygen -y on the identity file, or the SSH key's .pub line), and replace the private key if the " +
			"configuration holding it was shared")
	case strings.HasPrefix(s, "age1pq1"):
		return nil, fmt.Errorf("%q is a post-quantum age recipient: give an X25519 one (age1..., from age-keygen) or an SSH public key", s)
	case strings.HasPrefix(s, "age1"):
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an age X25519 recipient (%v): copy the \"public key\" line age-keygen prints", s, err)
		}
		return r, nil
	case strings.HasPrefix(s, "ssh-ed25519 "), strings.HasPrefix(s, "ssh-rsa "):
		return parseSSHRecipient(s)
	}
	return nil, fmt.Errorf("%q is not a recipient: give an age X25519 recipient (age1...) or an SSH public key (ssh-ed25519 ... or ssh-rsa ...)", s)
}

// isPrivateKey reports whether s holds an age identity or a PEM private
// key (an SSH one included) anywhere, which an error must not quote.
func isPrivateKey(s string) bool {
	upper := strings.ToUpper(s)
	return strings.Contains(upper, "AGE-SECRET-KEY-") || strings.Contains(upper, "PRIVATE KEY")
}

func parseSSHRecipient(s string) (age.Recipient, error) {
	key, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(s))
	if err == nil && len(bytes.TrimSpace(rest)) > 0 {
		err = errors.New("more than one key")
	}
	if err != nil {
		return nil, fmt.Errorf("%q is not an SSH public key (%v): copy the one line of a .pub file", s, err)
	}
	var r age.Recipient
	if key.Type() == ssh.KeyAlgoRSA {
		r, err = agessh.NewRSARecipient(key)
	} else {
		r, err = agessh.NewEd25519Recipient(key)
	}
	if err != nil {
		return nil, fmt.Errorf("%q cannot be an age recipient: %v", s, err)
	}
	return r, nil
}

// Encrypt encrypts secret to every one of recipients (see CheckRecipient)
// and returns the ASCII-armored age file. Each call gives another text: age
// encryption is randomized. It encrypts whatever the API returned: the rule
// of glossiwebhook.CheckSecret applies when the secret is read back.
func Encrypt(secret string, recipients []string) (string, error) {
	if secret == "" {
		return "", errors.New("no secret to encrypt")
	}
	if len(recipients) == 0 {
		return "", errors.New("no recipients: give at least one")
	}
	rs := make([]age.Recipient, len(recipients))
	for i, s := range recipients {
		r, err := parseRecipient(s)
		if err != nil {
			return "", err
		}
		rs[i] = r
	}
	var out bytes.Buffer
	a := armor.NewWriter(&out)
	w, err := age.Encrypt(a, rs...)
	if err != nil {
		return "", err
	}
	if _, err := io.WriteString(w, secret); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	if err := a.Close(); err != nil {
		return "", err
	}
	return out.String(), nil
}

// Identities are the private keys that decrypt, and the recipients they
// answer to.
type Identities struct {
	ids        []age.Identity
	recipients []string
}

// ParseIdentities reads an age identity file (AGE-SECRET-KEY-1... lines, as
// age-keygen writes; # comments and blank lines are skipped) or an
// unencrypted OpenSSH ed25519 or RSA private key. The error never quotes the
// file.
func ParseIdentities(data []byte) (*Identities, error) {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return parseSSHIdentity(data)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not an age identity file (%v) nor an SSH private key", err)
	}
	parsed := &Identities{}
	for _, id := range ids {
		x, ok := id.(*age.X25519Identity)
		if !ok {
			return nil, errors.New("holds a post-quantum age identity: only X25519 identities (AGE-SECRET-KEY-1...) are supported")
		}
		parsed.ids = append(parsed.ids, x)
		parsed.recipients = append(parsed.recipients, x.Recipient().String())
	}
	return parsed, nil
}

func parseSSHIdentity(pemBytes []byte) (*Identities, error) {
	id, err := agessh.ParseIdentity(pemBytes)
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, errors.New("is a passphrase-protected SSH private key: give an unencrypted one, or an age identity")
	case err != nil:
		return nil, fmt.Errorf("is not an SSH ed25519 or RSA private key: %w", err)
	}
	key, err := ssh.ParsePrivateKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("is not an SSH private key: %w", err)
	}
	recipient := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key.PublicKey())))
	return &Identities{ids: []age.Identity{id}, recipients: []string{recipient}}, nil
}

// String lists the recipients the identities answer to: public keys, safe
// to log.
func (ids *Identities) String() string {
	return strings.Join(ids.recipients, ", ")
}

// Decrypt returns the secret that ciphertext, an armored age file such as
// secret_ciphertext, holds, checked with glossiwebhook.CheckSecret. When no
// identity can open it, the error wraps ErrNotForIdentity and names the
// recipients to add to secret_recipients. Errors never hold the secret.
func (ids *Identities) Decrypt(ciphertext string) (string, error) {
	if !strings.HasPrefix(strings.TrimSpace(ciphertext), armor.Header) {
		return "", fmt.Errorf("not an armored age file (it does not start with %s)", armor.Header)
	}
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(ciphertext)), ids.ids...)
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return "", fmt.Errorf("%w (recipient %s): add it to the glossi_webhook's secret_recipients and apply, "+
			"or use the identity of one of its recipients", ErrNotForIdentity, ids)
	case err != nil:
		return "", fmt.Errorf("not a readable age file: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxSecretBytes+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("not a readable age file: %w", err)
	case len(plain) > maxSecretBytes:
		return "", fmt.Errorf("decrypts to more than %d bytes: not a webhook secret", maxSecretBytes)
	}
	if err := glossiwebhook.CheckSecret(string(plain)); err != nil {
		return "", fmt.Errorf("decrypts to something that is not a webhook secret: %w", err)
	}
	return string(plain), nil
}

package glossiwebhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// CheckSecret reports whether secret can be a webhook secret, by the one
// rule NewVerifier and SetSecrets apply too. It refuses the empty string,
// invalid UTF-8, any space or non-printing character, and what a command
// prints in place of a secret: "<sensitive>" (terraform output of all
// outputs) and a value in double quotes (terraform output without -raw, or
// -json). That catches a missing variable, a newline from a file, an ANSI
// colour code and a warning pasted in place of the secret. A secret is
// never trimmed: a program that reads one from a file may drop the one
// newline that ends the file (no secret ends in one), as the example
// receiver does. The error wraps ErrInvalidSecret, says which rule failed
// and what to give instead, never what the secret holds: a program that
// shows it as it is says what every Glossi tool says for the same mistake.
func CheckSecret(secret string) error {
	return checkSecret("", secret)
}

// secretAdvice ends every error of the secret rule: what to give instead.
// The provider's functions and glossi_webhook_probe, the example receiver
// and glossi-sandbox send show the error as it is, so they all say this.
const secretAdvice = "give the webhook's secret, such as glossi_webhook.main.secret " +
	"(terraform output -raw NAME outside Terraform)"

// checkSecret is CheckSecret for the secret named which ("" for the
// current one, "previous ").
func checkSecret(which, secret string) error {
	if err := secretRule(secret); err != "" {
		return fmt.Errorf("%w: the %ssecret %s; %s", ErrInvalidSecret, which, err, secretAdvice)
	}
	return nil
}

// secretRule returns what is wrong with secret, or "".
func secretRule(secret string) string {
	if secret == "" {
		return "is empty (or null: an imported webhook has no secret until it is rotated)"
	}
	if !utf8.ValidString(secret) {
		return "is not valid UTF-8"
	}
	for i, r := range secret {
		if !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return fmt.Sprintf("contains a control or non-printing character at byte %d (a terminal colour code?)", i)
		}
	}
	if strings.TrimSpace(secret) != secret {
		return "has leading or trailing whitespace (a newline from a file or a copy and paste?)"
	}
	if i := strings.IndexFunc(secret, unicode.IsSpace); i >= 0 {
		return fmt.Sprintf("contains whitespace at byte %d (text such as a command's warning pasted in place of the secret?)", i)
	}
	if secret == "<sensitive>" {
		return "is the placeholder terraform output prints in place of a sensitive value"
	}
	if len(secret) >= 2 && secret[0] == '"' && secret[len(secret)-1] == '"' {
		return "is wrapped in double quotes, as terraform output prints it without -raw (or with -json)"
	}
	return ""
}

// secretSet is what SetSecrets replaces as one value, so that a request in
// flight sees either the old set or the new one, never a mix.
type secretSet struct {
	current       *keyState
	previous      *keyState // nil: none
	previousUntil time.Time
}

func newSecretSet(current, previous string, previousUntil time.Time) (*secretSet, error) {
	if err := checkSecret("", current); err != nil {
		return nil, err
	}
	s := &secretSet{current: newKeyState(current)}
	if previous == "" {
		return s, nil
	}
	if err := checkSecret("previous ", previous); err != nil {
		return nil, err
	}
	if previousUntil.IsZero() {
		return nil, fmt.Errorf("%w: the previous secret needs a deadline (until)", ErrInvalidSecret)
	}
	s.previous, s.previousUntil = newKeyState(previous), previousUntil
	return s, nil
}

func (s *secretSet) String() string {
	if s.previous == nil {
		return "secret: " + s.current.fingerprint
	}
	return fmt.Sprintf("secret: %s, previous: %s until %s", s.current.fingerprint,
		s.previous.fingerprint, s.previousUntil.UTC().Format(time.RFC3339))
}

// keyState holds the HMAC state keyed with one secret. The keyed inner and
// outer states are computed once per pooled hash; Reset restores them
// without hashing the key again.
type keyState struct {
	pool        sync.Pool // of *macState
	key         []byte
	fingerprint string
}

type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

func newKeyState(secret string) *keyState {
	ks := &keyState{key: []byte(secret), fingerprint: Fingerprint(secret)}
	ks.pool.New = func() any { return ks.newMAC() }
	ks.pool.Put(ks.newMAC()) // precompute one keyed state now
	return ks
}

func (ks *keyState) newMAC() *macState {
	return &macState{h: hmac.New(sha256.New, ks.key)}
}

// matches reports whether want is the HMAC of body under this key, in
// constant time.
func (ks *keyState) matches(body []byte, want *[sha256.Size]byte) bool {
	m, ok := ks.pool.Get().(*macState)
	if !ok {
		m = ks.newMAC()
	}
	m.h.Reset()
	m.h.Write(body)
	m.h.Sum(m.sum[:0])
	equal := hmac.Equal(m.sum[:], want[:])
	ks.pool.Put(m)
	return equal
}

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

// checkSecret refuses what cannot be a webhook secret: the empty string,
// invalid UTF-8, and any space or non-printing character. That catches a
// missing variable, a newline from a file, an ANSI colour code and a CLI
// warning pasted in place of the secret ("No outputs found"). The error
// says which rule failed, never what the secret holds.
func checkSecret(which, secret string) error {
	if secret == "" {
		return fmt.Errorf("%w: the %s secret is empty", ErrInvalidSecret, which)
	}
	if !utf8.ValidString(secret) {
		return fmt.Errorf("%w: the %s secret is not valid UTF-8", ErrInvalidSecret, which)
	}
	for i, r := range secret {
		if !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return fmt.Errorf("%w: the %s secret contains a control or non-printing character at byte %d (a terminal colour code?)", ErrInvalidSecret, which, i)
		}
	}
	if strings.TrimSpace(secret) != secret {
		return fmt.Errorf("%w: the %s secret has leading or trailing whitespace (a newline from a file or a copy and paste?)", ErrInvalidSecret, which)
	}
	if i := strings.IndexFunc(secret, unicode.IsSpace); i >= 0 {
		return fmt.Errorf("%w: the %s secret contains whitespace at byte %d (text such as a command's warning pasted in place of the secret?)", ErrInvalidSecret, which, i)
	}
	return nil
}

// secretSet is what SetSecrets replaces as one value, so that a request in
// flight sees either the old set or the new one, never a mix.
type secretSet struct {
	current       *keyState
	previous      *keyState // nil: none
	previousUntil time.Time
}

func newSecretSet(current, previous string, previousUntil time.Time) (*secretSet, error) {
	if err := checkSecret("current", current); err != nil {
		return nil, err
	}
	s := &secretSet{current: newKeyState(current)}
	if previous == "" {
		return s, nil
	}
	if err := checkSecret("previous", previous); err != nil {
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

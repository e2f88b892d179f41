package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// previousGrace is how long after a rotation the previous secret is still
// accepted: Glossi's last retry comes about 36 minutes after the first try.
const previousGrace = time.Hour

// secretFiles says where the receiver reads its secrets. The names in a
// directory are the glossi_webhook resource's attributes, as in a mounted
// Kubernetes Secret whose keys are secret, previous_secret and
// secret_rotated_at.
type secretFiles struct {
	secret, previous, rotatedAt string
	optional                    bool // previous and rotatedAt may be absent (a directory)
}

func filesInDir(dir string) secretFiles {
	return secretFiles{
		secret:    filepath.Join(dir, "secret"),
		previous:  filepath.Join(dir, "previous_secret"),
		rotatedAt: filepath.Join(dir, "secret_rotated_at"),
		optional:  true,
	}
}

// secrets are what the Verifier holds: the previous secret is accepted
// until previousUntil.
type secrets struct {
	current, previous string
	previousUntil     time.Time
}

func (s secrets) same(o secrets) bool {
	return s.current == o.current && s.previous == o.previous && s.previousUntil.Equal(o.previousUntil)
}

func (s secrets) apply(v *glossiwebhook.Verifier) error {
	return v.SetSecrets(s.current, s.previous, s.previousUntil)
}

// load reads the files. A file's one trailing newline is dropped, so that
// `echo "$secret" > file` works; anything else is kept and checked by
// glossiwebhook. Errors name the files, never their contents.
func (f secretFiles) load() (secrets, error) {
	var s secrets
	var err error
	if s.current, err = readSecretFile(f.secret, false); err != nil {
		return s, err
	}
	if f.previous == "" {
		return s, nil
	}
	if s.previous, err = readSecretFile(f.previous, f.optional); err != nil || s.previous == "" {
		return s, err
	}
	rotatedAt, err := readSecretFile(f.rotatedAt, f.optional)
	if err != nil {
		return s, err
	}
	at, err := time.Parse(time.RFC3339, rotatedAt)
	if err != nil {
		return s, fmt.Errorf("%s must hold the time of the rotation (RFC 3339, the resource's secret_rotated_at) when a previous secret is given: %w", f.rotatedAt, err)
	}
	s.previousUntil = at.Add(previousGrace)
	return s, nil
}

func readSecretFile(path string, optional bool) (string, error) {
	b, err := os.ReadFile(path)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.TrimSuffix(s, "\r"), nil
}

// reloader applies the files' secrets to the Verifier when they change.
type reloader struct {
	files  secretFiles
	v      *glossiwebhook.Verifier
	logger *log.Logger
	last   secrets
}

// reload reads the files and applies them if they changed, or always if
// force (SIGHUP). A failed reload keeps the secrets in use.
func (r *reloader) reload(reason string, force bool) {
	s, err := r.files.load()
	if err != nil {
		r.logger.Printf("secrets not reloaded (%s), keeping the ones in use: %v", reason, err)
		return
	}
	if s.same(r.last) && !force {
		return
	}
	if err := s.apply(r.v); err != nil {
		r.logger.Printf("secrets not reloaded (%s), keeping the ones in use: %v", reason, err)
		return
	}
	r.last = s
	r.logger.Printf("secrets reloaded (%s): %v", reason, r.v)
}

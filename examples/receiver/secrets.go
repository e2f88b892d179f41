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
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// previousGrace is how long after a rotation the previous secret is still
// accepted: the hour glossiwebhook.WithPreviousSecret advises, which outlasts
// Glossi's retries.
const previousGrace = time.Hour

// secretFiles says where the receiver reads its secrets. The names in a
// directory are the glossi_webhook resource's attributes, as in a mounted
// Kubernetes Secret whose keys are secret, previous_secret and
// secret_rotated_at.
type secretFiles struct {
	secret, previous, rotatedAt string
	optional                    bool                  // previous and rotatedAt may be absent (a directory)
	identities                  *agesecret.Identities // nil: the files hold plaintext (secrets_age.go)
}

// filesInDir returns the files of dir: secret and previous_secret, or, with identities, the
// ciphertexts secret_ciphertext and previous_secret_ciphertext (secrets_age.go); and
// secret_rotated_at.
func filesInDir(dir string, identities *agesecret.Identities) secretFiles {
	suffix := ""
	if identities != nil {
		suffix = "_ciphertext"
	}
	return secretFiles{
		secret:     filepath.Join(dir, "secret"+suffix),
		previous:   filepath.Join(dir, "previous_secret"+suffix),
		rotatedAt:  filepath.Join(dir, "secret_rotated_at"),
		optional:   true,
		identities: identities,
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

// load reads the files and checks each secret with glossiwebhook.CheckSecret, the one rule,
// naming the file in the error. A file's one trailing newline is dropped, so that
// `echo "$secret" > file` and an editor's final newline work: no secret ends in one, so nothing
// a secret holds is lost. Errors name the files, never their contents.
func (f secretFiles) load() (secrets, error) {
	var s secrets
	var err error
	if s.current, err = f.readSecret(f.secret, false); err != nil {
		return s, err
	}
	if f.previous == "" {
		return s, nil
	}
	if s.previous, err = f.readSecret(f.previous, f.optional); err != nil || s.previous == "" {
		return s, err
	}
	rotatedAt, err := readFile(f.rotatedAt, f.optional)
	if err != nil {
		return s, err
	}
	if rotatedAt == "" {
		return s, fmt.Errorf("%s is missing or empty, but %s holds a previous secret: it must hold the time of the rotation (RFC 3339, the resource's secret_rotated_at), which says until when the previous secret is accepted", f.rotatedAt, f.previous)
	}
	at, err := time.Parse(time.RFC3339, rotatedAt)
	if err != nil { // time.Parse's error quotes the file, which may hold a secret written there by mistake
		return s, fmt.Errorf("%s does not hold a time in RFC 3339 (such as 2026-12-01T10:00:00Z): it must hold the time of the rotation (the resource's secret_rotated_at) when a previous secret is given", f.rotatedAt)
	}
	s.previousUntil = at.Add(previousGrace)
	return s, nil
}

// readSecret reads the secret in path and checks it: in plaintext, or, with identities,
// decrypted (secrets_age.go). An optional file that is missing or empty is no secret ("").
func (f secretFiles) readSecret(path string, optional bool) (string, error) {
	content, err := readFile(path, optional)
	if err != nil || content == "" && optional {
		return "", err
	}
	secret := content
	if f.identities != nil {
		secret, err = f.decrypt(content, optional)
	} else {
		err = glossiwebhook.CheckSecret(content)
	}
	if err != nil {
		return "", secretError(path, err)
	}
	return secret, nil
}

// secretError says where a secret that is not one came from. err is glossiwebhook's (or
// agesecret's), shown as it is: it says what to give instead, in the words the provider and
// glossi-sandbox use too; it never holds the secret.
func secretError(source string, err error) error {
	return fmt.Errorf("%s: %w", source, err)
}

// readFile returns the content of path without its one trailing newline ("\n" or "\r\n"), or
// "" for an optional file that does not exist.
func readFile(path string, optional bool) (string, error) {
	b, err := os.ReadFile(path)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	s, ok := strings.CutSuffix(string(b), "\n")
	if ok {
		s = strings.TrimSuffix(s, "\r")
	}
	return s, nil
}

// reloader applies the files' secrets to the Verifier when they change. A change is applied
// once it is stable, read the same on two polls in a row, so that a file caught half-written is
// never applied; an error is logged once until what is read changes.
type reloader struct {
	files  secretFiles
	v      *glossiwebhook.Verifier
	logger *log.Logger
	last   secrets // applied
	polled reading // read on the previous poll
	logged string  // the error logged last, until the files change
}

// reading is what one poll read: the secrets, or why they could not be read.
type reading struct {
	s   secrets
	err string
}

func (r reading) same(o reading) bool { return r.s.same(o.s) && r.err == o.err }

// reload reads the files and applies them if they changed and read the same as on the previous
// poll, or at once if force (SIGHUP: the operator says the files are complete). A failed reload
// keeps the secrets in use.
func (r *reloader) reload(reason string, force bool) {
	s, err := r.files.load()
	now := reading{s: s}
	if err != nil {
		now = reading{err: err.Error()}
	}
	stable := now.same(r.polled)
	r.polled = now
	switch {
	case !stable && !force:
		return // read again on the next poll
	case now.err != "":
		r.logOnce(reason, now.err)
		return
	case s.same(r.last) && !force:
		r.logged = ""
		return
	}
	if err := s.apply(r.v); err != nil {
		r.logOnce(reason, err.Error())
		return
	}
	r.last, r.logged = s, ""
	r.logger.Printf("secrets reloaded (%s): %v", reason, r.v)
}

func (r *reloader) logOnce(reason, err string) {
	if err == r.logged {
		return
	}
	r.logged = err
	r.logger.Printf("secrets not reloaded (%s), keeping the ones in use: %s", reason, err)
}

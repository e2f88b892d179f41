package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// With --secret-age-identity, the receiver reads the secrets that the glossi_webhook resource
// keeps encrypted when its secret_recipients are set: --secret-dir then holds the files
// secret_ciphertext, previous_secret_ciphertext and secret_rotated_at (a mounted Kubernetes
// Secret with those keys), and each ciphertext is decrypted with the identity at every reload.

// withAgeIdentity returns files reading the ciphertexts of dir with the identity in identityFile,
// or files unchanged when identityFile is "".
func withAgeIdentity(files *secretFiles, dir, identityFile string) (*secretFiles, error) {
	if identityFile == "" {
		return files, nil
	}
	if dir == "" {
		return nil, errors.New("--secret-age-identity needs --secret-dir, the folder holding secret_ciphertext")
	}
	data, err := os.ReadFile(identityFile)
	if err != nil {
		return nil, err
	}
	ids, err := agesecret.ParseIdentities(data)
	if err != nil {
		return nil, fmt.Errorf("--secret-age-identity %s: %w", identityFile, err) // never quotes the file
	}
	return &secretFiles{
		secret:     filepath.Join(dir, "secret_ciphertext"),
		previous:   filepath.Join(dir, "previous_secret_ciphertext"),
		rotatedAt:  filepath.Join(dir, "secret_rotated_at"),
		optional:   true,
		identities: ids,
	}, nil
}

// readSecret reads the secret in path: in plaintext, or, with an identity, decrypted. A previous
// secret encrypted before the identity's recipient was added to secret_recipients cannot be
// decrypted: it is left out, as if absent, and the receiver accepts the current secret only.
func (f secretFiles) readSecret(path string, optional bool) (string, error) {
	if f.identities == nil {
		return readSecretFile(path, optional)
	}
	ciphertext, err := readFile(path, optional)
	if err != nil || ciphertext == "" && optional {
		return "", err
	}
	secret, err := f.identities.Decrypt(ciphertext)
	switch {
	case errors.Is(err, agesecret.ErrNotForIdentity) && path == f.previous:
		return "", nil
	case err != nil:
		return "", fmt.Errorf("%s: %w", path, err) // never holds the secret
	}
	return secret, nil
}

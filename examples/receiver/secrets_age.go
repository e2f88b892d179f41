package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
)

// With --secret-age-identity, the receiver reads the secrets that the glossi_webhook resource
// keeps encrypted when its secret_recipients are set: --secret-dir then holds the files
// secret_ciphertext, previous_secret_ciphertext and secret_rotated_at (a mounted Kubernetes
// Secret with those keys), and each ciphertext is decrypted with the identity at every reload.

// readAgeIdentity reads the identities of --secret-age-identity from file.
func readAgeIdentity(file string) (*agesecret.Identities, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	ids, err := agesecret.ParseIdentities(data)
	if err != nil {
		return nil, fmt.Errorf("--secret-age-identity %s: %w", file, err) // never quotes the file
	}
	return ids, nil
}

// decrypt returns the secret that ciphertext holds, checked. A previous secret (optional)
// encrypted before the identity's recipient was added to secret_recipients cannot be
// decrypted: it is left out, as if absent, and the receiver accepts the current secret only.
func (f secretFiles) decrypt(ciphertext string, optional bool) (string, error) {
	secret, err := f.identities.Decrypt(ciphertext)
	if errors.Is(err, agesecret.ErrNotForIdentity) && optional {
		return "", nil
	}
	return secret, err
}

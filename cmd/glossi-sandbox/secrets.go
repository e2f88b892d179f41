package main

import (
	"fmt"
	"os"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// secretFrom returns the --secret flag, else GLOSSI_WEBHOOK_SECRET, checked by the rule and
// with the words of every Glossi tool (glossiwebhook.CheckSecret).
func secretFrom(flagValue string) (string, error) {
	secret := flagValue
	if secret == "" {
		secret = os.Getenv(envSecret)
	}
	if err := glossiwebhook.CheckSecret(secret); err != nil {
		return "", fmt.Errorf("%s: %w", secretSource(flagValue), err)
	}
	return secret, nil
}

// secretSource names where secretFrom took its secret from, for an error about it.
func secretSource(flagValue string) string {
	switch {
	case flagValue != "":
		return "--secret"
	case os.Getenv(envSecret) != "":
		return "$" + envSecret
	}
	return "no secret (set $" + envSecret + " or pass --secret)"
}

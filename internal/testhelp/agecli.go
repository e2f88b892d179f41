package testhelp

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The real age CLI (Debian package age), so that what the provider encrypts is proven readable
// by the tool users decrypt with, and what it encrypts is readable by glossiwebhook/agesecret.

// AgeKey is an identity file made by age-keygen and the recipient it prints.
type AgeKey struct {
	IdentityFile string
	Recipient    string
}

var publicKeyLine = regexp.MustCompile(`(?m)^Public key: (age1[0-9a-z]+)$`)

// AgeKeygen makes a new identity with age-keygen in a folder of the test. A missing age-keygen
// fails the test: these tests need the real CLI.
func AgeKeygen(t testing.TB) AgeKey {
	t.Helper()
	file := filepath.Join(t.TempDir(), "identity.txt")
	out, err := exec.Command(ageTool(t, "age-keygen"), "-o", file).CombinedOutput()
	m := publicKeyLine.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("age-keygen -o %s: %v\n%s", file, err, out)
	}
	return AgeKey{IdentityFile: file, Recipient: string(m[1])}
}

// AgeDecrypt runs `age -d -i identityFile` on ciphertext and returns what it printed on
// stdout, or its error with what it printed on stderr (never the plaintext).
func AgeDecrypt(t testing.TB, identityFile, ciphertext string) (string, error) {
	t.Helper()
	cmd := exec.Command(ageTool(t, "age"), "-d", "-i", identityFile)
	cmd.Stdin = strings.NewReader(ciphertext)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// AgeEncrypt runs `age -a -r recipient` on plaintext and returns the armored file.
func AgeEncrypt(t testing.TB, recipient, plaintext string) string {
	t.Helper()
	cmd := exec.Command(ageTool(t, "age"), "-a", "-r", recipient)
	cmd.Stdin = strings.NewReader(plaintext)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("age -a -r %s: %v", recipient, err)
	}
	return string(out)
}

func ageTool(t testing.TB, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed; these tests run the real age CLI. Install it (Debian/Ubuntu: apt-get update && apt-get install -y age; macOS: brew install age) and run them again: %v", name, err)
	}
	return bin
}

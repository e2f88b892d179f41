package agesecret_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const testSecret = "whsec_4f1c9a0e7b2d48e6a13c5f9d"

func parseIdentityFile(t *testing.T, file string) *agesecret.Identities {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := agesecret.ParseIdentities(data)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// sshKey is an ed25519 key pair as ssh-keygen writes it: the private key in OpenSSH PEM, the
// public key as an authorized_keys line.
func sshKey(t *testing.T) (privatePEM []byte, publicLine string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "test key")
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " test@example"
}

// What Encrypt writes, the real age CLI reads, and what the CLI writes, Decrypt reads.
func TestEncryptDecrypt_interoperateWithTheAgeCLI(t *testing.T) {
	key := testhelp.AgeKeygen(t)
	ciphertext, err := agesecret.Encrypt(testSecret, []string{key.Recipient})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ciphertext, "-----BEGIN AGE ENCRYPTED FILE-----\n") || strings.Contains(ciphertext, testSecret) {
		t.Fatal("Encrypt did not write an armored age file, or wrote the secret in it")
	}
	if got, err := testhelp.AgeDecrypt(t, key.IdentityFile, ciphertext); err != nil || got != testSecret {
		t.Fatalf("age -d of Encrypt's output: err = %v, secret matches: %v", err, got == testSecret)
	}
	byCLI := testhelp.AgeEncrypt(t, key.Recipient, testSecret)
	if got, err := parseIdentityFile(t, key.IdentityFile).Decrypt(byCLI); err != nil || got != testSecret {
		t.Fatalf("Decrypt of age -a -r's output: err = %v, secret matches: %v", err, got == testSecret)
	}
}

// Every recipient of a mixed list can decrypt, an SSH key included; another identity cannot, and
// is told which recipient to add.
func TestDecrypt_everyRecipientAndNoOther(t *testing.T) {
	first, second, stranger := testhelp.AgeKeygen(t), testhelp.AgeKeygen(t), testhelp.AgeKeygen(t)
	sshPrivate, sshPublic := sshKey(t)
	ciphertext, err := agesecret.Encrypt(testSecret, []string{first.Recipient, second.Recipient, sshPublic})
	if err != nil {
		t.Fatal(err)
	}
	sshIDs, err := agesecret.ParseIdentities(sshPrivate)
	if err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string]*agesecret.Identities{
		"first": parseIdentityFile(t, first.IdentityFile), "second": parseIdentityFile(t, second.IdentityFile), "ssh": sshIDs,
	} {
		if got, decryptErr := ids.Decrypt(ciphertext); decryptErr != nil || got != testSecret {
			t.Errorf("recipient %s: err = %v, secret matches: %v", name, decryptErr, got == testSecret)
		}
	}
	if !strings.HasPrefix(sshIDs.String(), "ssh-ed25519 AAAA") {
		t.Errorf("the SSH identity's recipient is %q, want its ssh-ed25519 public key", sshIDs)
	}

	_, err = parseIdentityFile(t, stranger.IdentityFile).Decrypt(ciphertext)
	if !errors.Is(err, agesecret.ErrNotForIdentity) || !strings.Contains(err.Error(), stranger.Recipient) ||
		!strings.Contains(err.Error(), "secret_recipients") {
		t.Errorf("another identity: got %v, want ErrNotForIdentity naming its recipient %s and secret_recipients", err, stranger.Recipient)
	}
}

func TestCheckRecipient(t *testing.T) {
	_, sshPublic := sshKey(t)
	valid := testhelp.AgeKeygen(t).Recipient
	cases := []struct {
		recipient string
		wantErr   string // "" for none
	}{
		{valid, ""},
		{sshPublic, ""},
		{otherLastChar(valid), "is not an age X25519 recipient"}, // a checksum error
		{"age1pq1" + strings.Repeat("q", 60), "post-quantum"},
		{"ssh-ed25519 AAAAnotbase64!!", "is not an SSH public key"},
		{"ssh-dss AAAAB3NzaC1kc3M", "is not a recipient"},
		{"AGE-SECRET-KEY-1" + strings.Repeat("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 2)[:58], "a private key"},
		{" age-secret-key-1qqqq", "a private key"},
		{"# created: 2026-12-07T15:00:00Z\n# public key: age1qqqq\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQ", "a private key"},
		{`"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQ"`, "a private key"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "a private key"},
		{"", "is not a recipient"},
	}
	for _, tc := range cases {
		err := agesecret.CheckRecipient(tc.recipient)
		switch {
		case tc.wantErr == "a private key" && err != nil && strings.Contains(strings.ToUpper(err.Error()), "SECRET-KEY-1QQQQ"):
			t.Errorf("the error quotes the private key: %v", err)
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tc.recipient, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: got %v, want an error saying %q", tc.recipient, err, tc.wantErr)
		}
	}
}

// otherLastChar is s with its last character changed: a bech32 string whose checksum fails.
func otherLastChar(s string) string {
	last := "x"
	if strings.HasSuffix(s, last) {
		last = "y"
	}
	return s[:len(s)-1] + last
}

// A file that is not an identity, a passphrase-protected SSH key, and a ciphertext that is not
// one are each refused with an error that quotes neither the file nor a secret.
func TestParseIdentitiesAndDecrypt_refusals(t *testing.T) {
	const privateLooking = "AGE-SECRET-KEY-1NOTAKEYATALL"
	if _, err := agesecret.ParseIdentities([]byte(privateLooking + "\n")); err == nil || strings.Contains(err.Error(), privateLooking) {
		t.Errorf("a malformed identity: got %v, want an error that does not quote it", err)
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = agesecret.ParseIdentities(pem.EncodeToMemory(block)); err == nil || !strings.Contains(err.Error(), "passphrase-protected") {
		t.Errorf("a passphrase-protected SSH key: got %v, want it named", err)
	}

	key := testhelp.AgeKeygen(t)
	ids := parseIdentityFile(t, key.IdentityFile)
	if _, err = ids.Decrypt(testSecret); err == nil || strings.Contains(err.Error(), testSecret) {
		t.Errorf("a plaintext given as ciphertext: got %v, want an error that does not quote it", err)
	}
	notASecret := testhelp.AgeEncrypt(t, key.Recipient, testSecret+"\n")
	_, err = ids.Decrypt(notASecret)
	if !errors.Is(err, glossiwebhook.ErrInvalidSecret) || strings.Contains(err.Error(), testSecret) {
		t.Errorf("a ciphertext of a secret with a newline: got %v, want ErrInvalidSecret without the secret", err)
	}
}

func TestEncrypt_refusals(t *testing.T) {
	key := testhelp.AgeKeygen(t)
	if _, err := agesecret.Encrypt(testSecret, nil); err == nil {
		t.Error("no recipients: want an error")
	}
	if _, err := agesecret.Encrypt("", []string{key.Recipient}); err == nil {
		t.Error("no secret: want an error")
	}
	if _, err := agesecret.Encrypt(testSecret, []string{key.Recipient, "age1nope"}); err == nil || !strings.Contains(err.Error(), `"age1nope"`) {
		t.Errorf("a malformed recipient: got %v, want it named", err)
	}
	// Randomized: the same secret to the same recipient gives another text each time.
	a, _ := agesecret.Encrypt(testSecret, []string{key.Recipient})
	b, _ := agesecret.Encrypt(testSecret, []string{key.Recipient})
	if a == b {
		t.Error("two encryptions gave the same text")
	}
}

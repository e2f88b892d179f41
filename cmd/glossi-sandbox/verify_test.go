package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

const (
	verifySecret = "whsec_verify_test"
	verifyBody   = `{"event":"model.processed","timestamp":"2025-01-15T10:30:00.000Z","data":{"modelId":"m-1","name":"Chaise é","glbFilePath":"https://s3.example.com/a/b.glb"}}`
)

// verify says whether a body verifies and, when it does not, why it most likely does not,
// never printing the expected signature or the secret.
func TestVerify_saysWhyASignatureDoesNotVerify(t *testing.T) {
	clearEnv(t)
	body, secret := verifyBody, verifySecret
	sig := glossiwebhook.Sign([]byte(body), secret)
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, []byte(body), "", "  ")
	python := strings.NewReplacer(`","`, `", "`, `":"`, `": "`, `":{`, `": {`, "é", `\u00e9`).Replace(body)
	php := strings.NewReplacer("/", `\/`, "é", `\u00e9`).Replace(body)

	tests := []struct {
		name, stdin, secret, signature string
		code                           int
		want                           string
	}{
		{"ok", body, secret, sig, exitOK, "OK: the signature matches"},
		{"uppercase signature", body, secret, strings.ToUpper(sig), exitOK, "OK"},
		{"trailing newline", body + "\n", secret, sig, exitFailure, "trailing newline"},
		{"pretty-printed", pretty.String(), secret, sig, exitFailure, "compacted"},
		{"python re-serialized", python, secret, sig, exitFailure, "re-serialized"},
		{"php re-serialized", php, secret, sig, exitFailure, "re-serialized"},
		{"wrong secret", body, "whsec_other", sig, exitFailure, "wrong secret"},
		{"malformed", body, secret, "abc", exitFailure, "malformed: want 64 hex characters, got 3"},
		{"sha256 prefix", body, secret, "sha256=" + sig, exitFailure, `"sha256=" prefix`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envSecret, tt.secret)
			r := runCmd(t, tt.stdin, "verify", "--signature", tt.signature)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("code %d, stdout %q; want %d and %q", r.code, r.stdout, tt.code, tt.want)
			}
			if tt.code != exitOK && !strings.HasPrefix(r.stdout, "NOT VERIFIED: ") {
				t.Errorf("stdout %q", r.stdout)
			}
			expected := glossiwebhook.Sign([]byte(tt.stdin), tt.secret)
			if strings.Contains(strings.ToLower(r.stdout+r.stderr), expected) || strings.Contains(r.stdout+r.stderr, strings.TrimSpace(tt.secret)) {
				t.Error("verify printed the expected signature or the secret")
			}
		})
	}
}

func TestVerify_takesTheSecretFromTheFlag(t *testing.T) {
	clearEnv(t)
	sig := glossiwebhook.Sign([]byte(verifyBody), verifySecret)
	r := runCmd(t, verifyBody, "verify", "--signature", sig, "--secret", verifySecret)
	if r.code != exitOK {
		t.Errorf("--secret flag: %+v", r)
	}
}

func TestVerify_refusesBadArguments(t *testing.T) {
	clearEnv(t)
	body, secret := verifyBody, verifySecret
	sig := glossiwebhook.Sign([]byte(body), secret)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{body, []string{"verify", "--secret", secret}, "--signature is required"},
		{body, []string{"verify", "--signature", sig}, "no secret"},
		{"", []string{"verify", "--signature", sig, "--secret", secret}, "the body on stdin is empty"},
		{body, []string{"verify", "--signature", sig, "--secret", secret, "body.json"}, "read from stdin"},
	} {
		r := runCmd(t, tc.stdin, tc.args...)
		if r.code != exitUsage {
			t.Errorf("%v: code %d", tc.args, r.code)
		}
		r.oneErrorLine(t, tc.want)
	}
}

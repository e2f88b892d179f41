package glossiwebhook

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// What `terraform output -raw webhook_secret` printed, run in the wrong
// folder, and a receiver took as its secret.
const terraformWarning = "\x1b[33m╷\x1b[0m\x1b[0m\n\x1b[33m│\x1b[0m \x1b[0m\x1b[1m\x1b[33mWarning: \x1b[0m\x1b[0m\x1b[1mNo outputs found\x1b[0m\n" +
	"\x1b[33m│\x1b[0m \x1b[0m\n\x1b[33m│\x1b[0m \x1b[0mThe state file either has no outputs defined, or all the defined outputs\n\x1b[33m╵\x1b[0m\x1b[0m\n"

// CheckSecret, NewVerifier, WithPreviousSecret and SetSecrets apply one
// rule with one message, which ends saying what to give instead.
func TestNewVerifier_refusesWhatCannotBeASecret(t *testing.T) {
	tests := []struct {
		name, secret, want string // want: "" for accepted, else a part of the error
	}{
		{"sandbox secret", "whsec_4f9c2b7e1a8d4c3f9e6b0a5d7c2e1f8b", ""},
		{"documentation secret", "your-webhook-secret", ""},
		{"unicode secret", "clé-秘密-🔑", ""},
		{"long secret", strings.Repeat("k", 300), ""},
		{"empty", "", "is empty"},
		{"trailing newline", "whsec_abc\n", "leading or trailing whitespace"},
		{"trailing CRLF", "whsec_abc\r\n", "leading or trailing whitespace"},
		{"leading space", " whsec_abc", "leading or trailing whitespace"},
		{"tab inside", "whsec\tabc", "whitespace at byte 5"},
		{"no-break space inside", "whsec\u00a0abc", "whitespace at byte 5"},
		{"warning text", "Warning: No outputs found", "whitespace at byte 8"},
		{"terraform warning with ANSI codes", terraformWarning, "control or non-printing character at byte 0"},
		{"ANSI colour around a secret", "\x1b[32mwhsec_abc\x1b[0m", "control or non-printing character at byte 0"},
		{"NUL", "whsec\x00abc", "control or non-printing character at byte 5"},
		{"zero-width space", "whsec\u200babc", "control or non-printing character at byte 5"},
		{"invalid UTF-8", "whsec\xffabc", "not valid UTF-8"},
		{"terraform output placeholder", "<sensitive>", "placeholder terraform output prints"},
		{"in double quotes", `"whsec_abc"`, "wrapped in double quotes"},
		{"a lone double quote", `"`, ""},
		{"a quote inside", `whsec"abc"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, try := range []struct {
				which string
				new   func() error
			}{
				{"", func() error { _, err := NewVerifier(tt.secret); return err }},
				{"previous ", func() error {
					_, err := NewVerifier("whsec_current", WithPreviousSecret(tt.secret, testNow.Add(time.Hour)))
					return err
				}},
				{"previous ", func() error {
					if tt.secret == "" { // SetSecrets takes "" as no previous secret
						_, err := NewVerifier("whsec_current", WithPreviousSecret(tt.secret, testNow.Add(time.Hour)))
						return err
					}
					return newTestVerifier(t).SetSecrets("whsec_current", tt.secret, testNow.Add(time.Hour))
				}},
				{"", func() error { return newTestVerifier(t).SetSecrets(tt.secret, "", time.Time{}) }},
				{"", func() error { return CheckSecret(tt.secret) }},
			} {
				err := try.new()
				if tt.want == "" {
					if err != nil {
						t.Fatalf("%q secret refused: %v", try.which, err)
					}
					continue
				}
				if !errors.Is(err, ErrInvalidSecret) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "invalid webhook secret: the "+try.which+"secret ") ||
					!strings.HasSuffix(err.Error(), "; "+secretAdvice) {
					t.Fatalf("%q secret: error %v, want ErrInvalidSecret saying %q", try.which, err, tt.want)
				}
				if len(tt.secret) > 3 && strings.Contains(err.Error(), strings.TrimSpace(tt.secret)) ||
					strings.Contains(err.Error(), "Warning") || strings.Contains(err.Error(), "\x1b") {
					t.Fatalf("the error echoes the secret: %q", err)
				}
			}
		})
	}
}

func TestVerifier_StringPrintsFingerprintsOnly(t *testing.T) {
	v := newTestVerifier(t, WithPreviousSecret("previous-secret-value", testNow.Add(time.Hour)))
	want := "glossiwebhook.Verifier{secret: " + Fingerprint(testSecret) + ", previous: " + Fingerprint("previous-secret-value") +
		" until 2025-01-15T11:30:00Z, tolerance: -1h0m0s/+5m0s, maxBodyBytes: 1048576, readTimeout: 10s}"
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(format, v); got != want {
			t.Errorf("%s: %q\nwant %q", format, got, want)
		}
	}
	if err := v.SetSecrets("whsec_next", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := v.String(); !strings.Contains(got, "{secret: "+Fingerprint("whsec_next")+", tolerance") {
		t.Errorf("after SetSecrets: %q", got)
	}
}

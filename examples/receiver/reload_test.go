package main

import (
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// newTestReloader returns a reloader of the secret file in a new folder, holding oldSecret and
// applied, and its log.
func newTestReloader(t *testing.T, files func(dir string) secretFiles) (*reloader, string, *testhelp.SyncBuffer) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret"), oldSecret)
	f := files(dir)
	s, err := f.load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := glossiwebhook.NewVerifier(s.current)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testhelp.SyncBuffer{}
	return &reloader{files: f, v: v, logger: log.New(logs, "", 0), last: s, polled: reading{s: s}}, dir, logs
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

func secretFile(dir string) secretFiles { return secretFiles{secret: filepath.Join(dir, "secret")} }

// A secret file written in two parts, with a poll between them, is applied whole once it reads
// the same on two polls; its first half, itself a valid secret, never is.
func TestReloader_halfWrittenFileAppliedOnceStable(t *testing.T) {
	r, dir, logs := newTestReloader(t, secretFile)
	file := filepath.Join(dir, "secret")
	half := newSecret[:len(newSecret)/2]
	held := func() string { return r.v.String() }

	writeFile(t, file, half)
	r.reload("files changed", false) // the first half: changed, not yet stable
	if !strings.Contains(held(), glossiwebhook.Fingerprint(oldSecret)) {
		t.Fatalf("after the first half: %s, want the old secret still", held())
	}
	appendFile(t, file, newSecret[len(half):]+"\n")
	r.reload("files changed", false) // whole, but read once
	if !strings.Contains(held(), glossiwebhook.Fingerprint(oldSecret)) {
		t.Fatalf("after the second half, first poll: %s, want the old secret still", held())
	}
	r.reload("files changed", false) // the same twice: applied
	if !strings.Contains(held(), glossiwebhook.Fingerprint(newSecret)) {
		t.Fatalf("after two polls of the whole file: %s, want the new secret", held())
	}
	if strings.Contains(logs.String(), glossiwebhook.Fingerprint(half)) || strings.Count(logs.String(), "secrets reloaded") != 1 {
		t.Errorf("log:\n%s\nwant one reload, never the half-written secret", logs)
	}
	assertNoSecretIn(t, logs.String(), oldSecret, newSecret, half)
}

// A file that stays broken is logged once per change, not on every poll, and the secrets in use
// are kept.
func TestReloader_brokenFileLoggedOncePerChange(t *testing.T) {
	r, dir, logs := newTestReloader(t, secretFile)
	file := filepath.Join(dir, "secret")
	writeFile(t, file, `"`+newSecret+`"`)
	for range 10 {
		r.reload("files changed", false)
	}
	writeFile(t, file, "<sensitive>")
	for range 10 {
		r.reload("files changed", false)
	}
	got := logs.String()
	if strings.Count(got, "secrets not reloaded") != 2 || !strings.Contains(got, "wrapped in double quotes") ||
		!strings.Contains(got, "placeholder terraform output prints") || !strings.Contains(got, file+": glossiwebhook: invalid webhook secret") {
		t.Errorf("log after 20 polls of two broken files:\n%s\nwant each logged once, naming the file and the rule", got)
	}
	if !strings.Contains(r.v.String(), glossiwebhook.Fingerprint(oldSecret)) {
		t.Errorf("the Verifier holds %s, want the old secret kept", r.v)
	}
	assertNoSecretIn(t, got, oldSecret, newSecret)
}

// A previous secret without the time of its rotation is refused with a message that names the
// missing file, not `parsing time ""`.
func TestSecretFiles_missingRotatedAt(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret"), newSecret)
	writeFile(t, filepath.Join(dir, "previous_secret"), oldSecret)
	_, err := filesInDir(dir, nil).load()
	if err == nil || !strings.Contains(err.Error(), "secret_rotated_at is missing or empty, but") || strings.Contains(err.Error(), `parsing time ""`) {
		t.Fatalf("load: %v, want secret_rotated_at named as missing", err)
	}
	writeFile(t, filepath.Join(dir, "secret_rotated_at"), time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC).Format(time.RFC3339)+"\n")
	s, err := filesInDir(dir, nil).load()
	if err != nil || !s.previousUntil.Equal(time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("load with the time of the rotation: %+v, %v", s.previousUntil, err)
	}
}

// A secret written into secret_rotated_at by mistake is not quoted in the error (time.Parse's
// error would quote it): the error names the file and the format it wants.
func TestSecretFiles_rotatedAtNeverQuoted(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret"), newSecret)
	writeFile(t, filepath.Join(dir, "previous_secret"), oldSecret)
	writeFile(t, filepath.Join(dir, "secret_rotated_at"), oldSecret+"\n")
	_, err := filesInDir(dir, nil).load()
	if err == nil {
		t.Fatal("load accepted a secret as the time of the rotation")
	}
	assertNoSecretIn(t, err.Error(), oldSecret)
	want := filepath.Join(dir, "secret_rotated_at") + " does not hold a time in RFC 3339"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "parsing time") {
		t.Errorf("load: %s\nwant it to say %q", strings.ReplaceAll(err.Error(), oldSecret, "<SECRET>"), want)
	}
}

// The environment, a secret file and a secret folder refuse what is not a secret with one
// message, glossiwebhook's as it is (the provider and glossi-sandbox show it too), naming where
// it came from. One trailing newline from a file is dropped; the environment is taken as it is.
func TestRun_oneSecretRuleEverywhere(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	for name, value := range map[string]string{
		"quoted":       `"` + oldSecret + `"`,
		"placeholder":  "<sensitive>",
		"empty":        "",
		"two newlines": oldSecret + "\n\n",
	} {
		want := glossiwebhook.CheckSecret(value)
		if want == nil {
			t.Fatalf("%s: CheckSecret accepts it", name)
		}
		writeFile(t, file, value)
		env := "GLOSSI_WEBHOOK_SECRET"
		if value == "" {
			env = noSecret // an empty variable is no secret given: the message names every way to give one
		}
		for source, args := range map[string][]string{
			env:             nil,
			file:            {"--secret-file", file},
			dir + "/secret": {"--secret-dir", dir},
		} {
			getenv := func(name string) string {
				if name == "GLOSSI_WEBHOOK_SECRET" {
					return value
				}
				return ""
			}
			err := run(t.Context(), append([]string{"--addr", "127.0.0.1:0"}, args...), getenv, &testhelp.SyncBuffer{})
			if err == nil || err.Error() != source+": "+want.Error() {
				t.Errorf("%s from %s: %v\nwant %s: %v", name, source, err, source, want)
			}
		}
	}
	writeFile(t, file, oldSecret+"\n")
	s, err := secretFiles{secret: file}.load()
	if err != nil || s.current != oldSecret {
		t.Errorf("a file with one trailing newline: %v; want the secret without it", err)
	}
}

package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/agesecret"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const sandboxKey = "receiver-age-test-key"

// encrypted is secret encrypted to key, as the provider writes secret_ciphertext.
func encrypted(t *testing.T, key testhelp.AgeKey, secret string) string {
	t.Helper()
	ciphertext, err := agesecret.Encrypt(secret, []string{key.Recipient})
	if err != nil {
		t.Fatal(err)
	}
	return ciphertext
}

// freeLoopbackAddr is a loopback address nothing listens on, for a receiver started later.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	port, err := testhelp.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return "127.0.0.1:" + strconv.Itoa(port)
}

// triggerDeliveries makes the sandbox sign and send n deliveries with the webhook's secret now.
func triggerDeliveries(t *testing.T, sb *sandbox.Sandbox, n int) []*sandbox.Delivery {
	t.Helper()
	var out []*sandbox.Delivery
	for range n {
		d, err := sb.Trigger(context.Background(), sandboxKey, "model.processed", nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// rotate gives the sandbox's webhook a new secret, as an update of an API that rotates does, and
// returns it.
func rotate(t *testing.T, sb *sandbox.Sandbox) string {
	t.Helper()
	sb.UpdateWebhook(sandboxKey, func(w *sandbox.Webhook) { w.Secret = "" }) // regenerated
	w, _ := sb.Webhook(sandboxKey)
	return w.Secret
}

// waitDelivered waits until each delivery is over, and fails unless each was delivered without
// a single refusal.
func waitDelivered(t *testing.T, deliveries []*sandbox.Delivery, r receiver) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i, d := range deliveries {
		if err := d.Wait(ctx); err != nil {
			t.Fatalf("delivery %d: %v; log:\n%s", i, err, r.logs)
		}
		for _, a := range d.Attempts() {
			if a.Status != 0 && !a.OK() {
				t.Errorf("delivery %d, attempt %d: refused with %d", i, a.Number, a.Status)
			}
		}
		if d.State() != sandbox.DeliveryDelivered {
			t.Errorf("delivery %d ended %s", i, d.State())
		}
	}
}

// A receiver reading the encrypted secrets of a mounted Secret with its age identity verifies
// every delivery the sandbox signs across two rotations, and refuses none: deliveries signed with
// the first secret, retried after the rotation (the receiver was down), verify with
// previous_secret_ciphertext; a rotation while it runs is reloaded from the files.
func TestRun_ageIdentityVerifiesAcrossRotations(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKeys: []string{sandboxKey}, DeliveryTimeScale: 60})
	api := httptest.NewServer(sb)
	t.Cleanup(api.Close)
	key := testhelp.AgeKeygen(t)
	addr := freeLoopbackAddr(t)
	first := sb.SetWebhook(sandboxKey, sandbox.Webhook{URL: "http://" + addr + "/webhooks/glossi",
		Events: []string{"model.processed"}, Enabled: true}).Secret

	// The receiver is down: deliveries signed with the first secret wait for their retry.
	all := triggerDeliveries(t, sb, 3)
	for _, d := range all {
		if err := d.WaitFirst(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	second := rotate(t, sb)
	k := &k8sSecret{dir: t.TempDir()}
	k.write(t, map[string]string{
		"secret_ciphertext":          encrypted(t, key, second),
		"previous_secret_ciphertext": encrypted(t, key, first),
		"secret_rotated_at":          time.Now().UTC().Format(time.RFC3339),
	})
	r := startReceiver(t, []string{"--addr", addr, "--secret-dir", k.dir, "--secret-age-identity", key.IdentityFile,
		"--reload-interval", "50ms"}, nil)
	// Before the receiver stops: its shutdown waits for the sandbox's pooled connections to close.
	t.Cleanup(func() { _ = sb.Close() })
	all = append(all, triggerDeliveries(t, sb, 2)...)
	waitDelivered(t, all, r) // the retries of the first secret's deliveries come in about a second

	third := rotate(t, sb)
	k.write(t, map[string]string{
		"secret_ciphertext":          encrypted(t, key, third),
		"previous_secret_ciphertext": encrypted(t, key, second),
		"secret_rotated_at":          time.Now().UTC().Format(time.RFC3339),
	})
	r.waitLog(t, "secrets reloaded (files changed)")
	all = append(all, triggerDeliveries(t, sb, 2)...)

	waitDelivered(t, all, r)
	if retried := len(all[0].Attempts()); retried < 2 {
		t.Errorf("the first delivery took %d attempts: it was not retried after the rotation, the test proves less", retried)
	}
	assertNoSecretIn(t, r.logs.String(), first, second, third)
}

// An identity that is not a recipient stops the receiver at start with an error that names the
// file and the recipient to add, never the secret; a previous secret encrypted to others only is
// left out.
func TestRun_ageIdentityNotARecipient(t *testing.T) {
	owner, stranger := testhelp.AgeKeygen(t), testhelp.AgeKeygen(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret_ciphertext"), encrypted(t, owner, newSecret))
	args := []string{"--addr", "127.0.0.1:0", "--secret-dir", dir, "--secret-age-identity", stranger.IdentityFile}
	err := run(t.Context(), args, func(string) string { return "" }, &testhelp.SyncBuffer{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "secret_ciphertext")) ||
		!strings.Contains(err.Error(), stranger.Recipient) || strings.Contains(err.Error(), newSecret) {
		t.Errorf("got %v, want an error naming the file and the identity's recipient, without the secret", err)
	}

	writeFile(t, filepath.Join(dir, "secret_ciphertext"), encrypted(t, stranger, newSecret))
	writeFile(t, filepath.Join(dir, "previous_secret_ciphertext"), encrypted(t, owner, oldSecret))
	writeFile(t, filepath.Join(dir, "secret_rotated_at"), time.Now().UTC().Format(time.RFC3339))
	r := startReceiver(t, args[2:], nil)
	if got := r.deliver(t, newSecret); got != 200 {
		t.Errorf("the current secret: %d, want 200", got)
	}
	if got := r.deliver(t, oldSecret); got != 401 {
		t.Errorf("a previous secret the identity cannot decrypt: %d, want 401 (left out)", got)
	}
}

func TestRun_ageIdentityFlags(t *testing.T) {
	key := testhelp.AgeKeygen(t)
	notAnIdentity := filepath.Join(t.TempDir(), "identity.txt")
	writeFile(t, notAnIdentity, "AGE-SECRET-KEY-1NOTAKEY\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--secret-age-identity", key.IdentityFile}, "needs --secret-dir"},
		{[]string{"--secret-dir", t.TempDir(), "--secret-age-identity", notAnIdentity}, "not an age identity file"},
		{[]string{"--secret-dir", t.TempDir(), "--secret-age-identity", key.IdentityFile}, "secret_ciphertext: no such file"},
	} {
		err := run(t.Context(), tc.args, func(string) string { return "" }, &testhelp.SyncBuffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "NOTAKEY") {
			t.Errorf("%q: %v, want an error with %q that quotes no key", tc.args, err, tc.want)
		}
	}
}

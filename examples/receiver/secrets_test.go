package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const (
	oldSecret = "whsec_old_0123456789"
	newSecret = "whsec_new_9876543210"
)

// k8sSecret lays out dir as the kubelet does for a mounted Secret: each key
// is a symlink to ..data/key, and ..data a symlink to a timestamped folder
// that an update replaces at once.
type k8sSecret struct {
	dir     string
	version int
}

func (k *k8sSecret) write(t *testing.T, data map[string]string) {
	t.Helper()
	k.version++
	folder := fmt.Sprintf("..2026_11_29_%06d", k.version)
	if err := os.Mkdir(filepath.Join(k.dir, folder), 0o700); err != nil {
		t.Fatal(err)
	}
	for key, value := range data {
		if err := os.WriteFile(filepath.Join(k.dir, folder, key), []byte(value), 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(k.dir, key)
		if _, err := os.Lstat(link); os.IsNotExist(err) {
			if err := os.Symlink(filepath.Join("..data", key), link); err != nil {
				t.Fatal(err)
			}
		}
	}
	tmp := filepath.Join(k.dir, "..data_tmp")
	if err := os.Symlink(folder, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(k.dir, "..data")); err != nil {
		t.Fatal(err)
	}
}

// Deliveries signed with the old secret keep coming (Glossi's retries) while
// the mounted Secret is rotated; after the reload, deliveries signed with the
// new secret are accepted too. None is refused.
func TestRun_rotateMountedSecretWhileDeliveriesFlow(t *testing.T) {
	k := &k8sSecret{dir: t.TempDir()}
	k.write(t, map[string]string{"secret": oldSecret})
	r := startReceiver(t, []string{"--secret-dir", k.dir, "--reload-interval", "50ms"}, nil)
	if got := r.deliver(t, newSecret); got != http.StatusUnauthorized {
		t.Fatalf("new secret before the rotation: %d, want 401", got)
	}

	var sent, refused atomic.Int32
	var sentOld, sentNew atomic.Int32
	var refusals sync.Map
	stop := make(chan struct{})
	var wg sync.WaitGroup
	flow := func(sec string, count *atomic.Int32) {
		for {
			select {
			case <-stop:
				return
			default:
			}
			sent.Add(1)
			if got := r.deliver(t, sec); got != http.StatusOK {
				refused.Add(1)
				refusals.Store(got, sec == newSecret)
			}
			count.Add(1)
		}
	}
	stopFlows := sync.OnceFunc(func() { close(stop); wg.Wait() })
	t.Cleanup(stopFlows) // before the receiver stops, if the test fails first
	// The phases follow the deliveries, not the clock: a few with the old secret before the
	// rotation, and a few with each secret after the reload.
	atLeast := func(count *atomic.Int32, n int32) {
		for deadline := time.Now().Add(30 * time.Second); count.Load() < n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("fewer than %d deliveries after 30s", n)
			}
		}
	}
	wg.Go(func() { flow(oldSecret, &sentOld) })
	atLeast(&sentOld, 5)
	k.write(t, map[string]string{
		"secret":            newSecret + "\n", // as `echo` writes it
		"previous_secret":   oldSecret,
		"secret_rotated_at": time.Now().UTC().Format(time.RFC3339),
	})
	r.waitLog(t, "secrets reloaded (files changed)")
	oldBeforeReload := sentOld.Load()
	wg.Go(func() { flow(newSecret, &sentNew) })
	atLeast(&sentNew, 5)
	atLeast(&sentOld, oldBeforeReload+5)
	stopFlows()

	if n := refused.Load(); n != 0 {
		refusals.Range(func(code, isNew any) bool { t.Errorf("refused with %v (new secret: %v)", code, isNew); return true })
		t.Fatalf("%d of %d deliveries refused during the rotation, want none", n, sent.Load())
	}
	if got := r.deliver(t, "whsec_neither_of_them"); got != http.StatusUnauthorized {
		t.Errorf("a third secret after the rotation: %d, want 401", got)
	}
	assertNoSecretIn(t, r.logs.String(), oldSecret, newSecret)
	t.Logf("%d deliveries signed with the old and the new secret during the rotation, %d refused", sent.Load(), refused.Load())
}

func TestRun_sighupReloads(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(oldSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startReceiver(t, []string{"--secret-file", file, "--reload-interval", "1h"}, nil)
	if err := os.WriteFile(file, []byte(newSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := r.deliver(t, newSecret); got != http.StatusUnauthorized {
		t.Fatalf("new secret before SIGHUP: %d, want 401 (the file is only polled hourly)", got)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	r.waitLog(t, "secrets reloaded (SIGHUP)")
	if got := r.deliver(t, newSecret); got != http.StatusOK {
		t.Errorf("new secret after SIGHUP: %d, want 200", got)
	}
	if got := r.deliver(t, oldSecret); got != http.StatusUnauthorized {
		t.Errorf("old secret after SIGHUP without a previous secret: %d, want 401", got)
	}
	assertNoSecretIn(t, r.logs.String(), oldSecret, newSecret)
}

// A file that holds no secret (a CLI's warning, an empty write) is not
// applied: the receiver keeps the secret it has, and says why.
func TestRun_badSecretFileKeepsTheSecretInUse(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(oldSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startReceiver(t, []string{"--secret-file", file, "--reload-interval", "20ms"}, nil)
	warning := "\x1b[33mWarning: No outputs found\x1b[0m"
	if err := os.WriteFile(file, []byte(warning), 0o600); err != nil {
		t.Fatal(err)
	}
	r.waitLog(t, "secrets not reloaded (files changed), keeping the ones in use")
	if got := r.deliver(t, oldSecret); got != http.StatusOK {
		t.Errorf("old secret after a bad file: %d, want 200", got)
	}
	assertNoSecretIn(t, r.logs.String(), oldSecret, warning)
}

func TestRun_secretFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte(oldSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--secret-dir", dir, "--secret-file", file}, "not both"},
		{[]string{"--previous-secret-file", file}, "need --secret-file"},
		{[]string{"--secret-file", file, "--previous-secret-file", file}, "together"},
		{[]string{"--secret-file", filepath.Join(dir, "missing")}, "no such file"},
	} {
		err := run(t.Context(), tc.args, func(string) string { return "" }, &testhelp.SyncBuffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

func assertNoSecretIn(t *testing.T, logs string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s = strings.TrimSpace(s); strings.Contains(logs, s) {
			t.Errorf("the log shows a secret (replaced here by <SECRET>):\n%s", strings.ReplaceAll(logs, s, "<SECRET>"))
		}
	}
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const secret = "whsec_receiver_test"

func post(t *testing.T, h http.Handler, body, sig string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", strings.NewReader(body))
	req.Header.Set(glossiwebhook.SignatureHeader, sig)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandler(t *testing.T) {
	var logs bytes.Buffer
	logger := log.New(&logs, "", 0)
	v, err := newVerifier(secrets{current: secret}, time.Second, logger)
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(v, stores{deduper: glossiwebhook.NewMemoryDeduper(0), lease: time.Minute}, "/webhooks/glossi", logger)
	body := `{"event":"job.failed","timestamp":"` + time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + `","data":{"jobId":"j-1","status":"FAILED","error":"boom"}}`

	if rec := post(t, h, body, glossiwebhook.Sign([]byte(body), secret)); rec.Code != http.StatusOK {
		t.Errorf("valid delivery: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "verified job.failed") || !strings.Contains(logs.String(), "job j-1 failed: boom") {
		t.Errorf("log %q", logs.String())
	}
	if rec := post(t, h, body, glossiwebhook.Sign([]byte(body), "whsec_other")); rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "rejected delivery") || strings.Contains(logs.String(), secret) {
		t.Errorf("log %q", logs.String())
	}

	// A delivery the events table cannot take (no PostgreSQL answers): 500, and a log line
	// without the delivery's signature, which its DedupKey spells.
	unreachable, err := pgxpool.New(context.Background(), "postgres://postgres@"+freeLoopbackAddr(t)+"/none?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unreachable.Close)
	h = newHandler(v, stores{deduper: glossiwebhook.NewMemoryDeduper(0), events: unreachable, lease: time.Minute}, "/webhooks/glossi", logger)
	sig := glossiwebhook.Sign([]byte(body), secret)
	if rec := post(t, h, body, sig); rec.Code != http.StatusInternalServerError || !strings.Contains(logs.String(), "could not record job.failed") {
		t.Errorf("a delivery not recorded: %d, log %q; want 500 and the failure logged", rec.Code, logs.String())
	}
	assertNoSecretIn(t, logs.String(), secret, sig)
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out testhelp.SyncBuffer
	done := make(chan error, 1)
	env := map[string]string{"GLOSSI_WEBHOOK_SECRET": secret}
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, &out)
	}()
	var url string
	for i := 0; i < 500 && url == ""; i++ {
		if first, _, ok := strings.Cut(out.String(), "\n"); ok {
			url = first
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/webhooks/glossi") || strings.Contains(url, ":0/") {
		t.Fatalf("first line %q, want the URL with the real port", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	cancel()
	if err = <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	err = run(context.Background(), nil, func(string) string { return "" }, io.Discard)
	for _, way := range []string{"GLOSSI_WEBHOOK_SECRET", "--secret-file", "--secret-dir"} {
		if err == nil || !strings.Contains(err.Error(), way) {
			t.Errorf("run without a secret: %v, want an error naming %s", err, way)
		}
	}
}

// receiver is a running receiver (run) for one test.
type receiver struct {
	url  string
	logs *testhelp.SyncBuffer
}

// startReceiver runs the receiver with args and env until the test ends.
func startReceiver(t *testing.T, args []string, env map[string]string) receiver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testhelp.SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, out)
	}()
	t.Cleanup(func() {
		// A connection the client dialled but did not use holds Shutdown up to its deadline.
		http.DefaultClient.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if first, _, ok := strings.Cut(out.String(), "\n"); ok && strings.HasPrefix(first, "http://") {
			return receiver{url: first, logs: out}
		}
		select {
		case err := <-done:
			t.Fatalf("run ended: %v; output %q", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no URL on the first line after 5s: %q", out.String())
	return receiver{}
}

// deliver sends a new delivery signed with sec and returns the status.
func (r receiver) deliver(t *testing.T, sec string) int {
	t.Helper()
	body := []byte(`{"event":"job.failed","timestamp":"` + time.Now().UTC().Format(time.RFC3339Nano) + `","data":{"jobId":"` + rand.Text() + `"}}`)
	code, _ := testhelp.PostSigned(t, r.url, body, sec)
	return code
}

// waitLog waits until the receiver's log contains s.
func (r receiver) waitLog(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(r.logs.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("log has no %q after 5s:\n%s", s, r.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunHelp(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out)
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != 0 || stderr.Len() != 0 {
		t.Errorf("--help: exit code %d, stderr %q; want 0 and nothing", code, stderr.String())
	}
	if n := strings.Count(out.String(), "Usage of receiver"); n != 1 || !strings.Contains(out.String(), "-redis") {
		t.Errorf("--help printed the usage %d times, want once with --redis:\n%s", n, out.String())
	}
	if n := strings.Count(out.String(), "127.0.0.1:8090"); n != 1 {
		t.Errorf("--help shows the default address %d times, want once:\n%s", n, out.String())
	}
	err = run(context.Background(), []string{"--no-such-flag"}, func(string) string { return "" }, io.Discard)
	if code := exitCode(err, io.Discard); code != 2 {
		t.Errorf("--no-such-flag: exit code %d, want 2", code)
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
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
	h, err := newHandler(secret, "/webhooks/glossi", log.New(&logs, "", 0))
	if err != nil {
		t.Fatal(err)
	}
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
	if _, err := newHandler("", "/", log.New(io.Discard, "", 0)); err == nil || !strings.Contains(err.Error(), "GLOSSI_WEBHOOK_SECRET") {
		t.Errorf("empty secret: %v", err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
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
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	if err := run(context.Background(), nil, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("run without a secret succeeded")
	}
}

func TestRunHelp(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out)
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != 0 || stderr.Len() != 0 {
		t.Errorf("--help: exit code %d, stderr %q; want 0 and nothing", code, stderr.String())
	}
	if n := strings.Count(out.String(), "127.0.0.1:8090"); n != 1 {
		t.Errorf("--help shows the default address %d times, want once:\n%s", n, out.String())
	}
	err = run(context.Background(), []string{"--no-such-flag"}, func(string) string { return "" }, io.Discard)
	if code := exitCode(err, io.Discard); code != 2 {
		t.Errorf("--no-such-flag: exit code %d, want 2", code)
	}
}

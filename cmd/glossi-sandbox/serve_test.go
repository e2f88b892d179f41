package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// server is a running "glossi-sandbox serve".
type server struct {
	baseURL, apiKey string
	stdout, stderr  *testhelp.SyncBuffer
	cancel          context.CancelFunc
	done            chan int
}

var exportRE = regexp.MustCompile(`(?m)^export GLOSSI_BASE_URL=(\S+)\nexport GLOSSI_API_KEY=(\S+)\n`)

func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &testhelp.SyncBuffer{}, stderr: &testhelp.SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), s.stdout, s.stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := exportRE.FindStringSubmatch(s.stdout.String()); m != nil {
			s.baseURL, s.apiKey = m[1], m[2]
			t.Cleanup(func() { s.stop(t) })
			return s
		}
		select {
		case code := <-s.done:
			t.Fatalf("serve exited with %d: %s", code, s.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve printed no export lines: %s", s.stdout.String())
	return nil
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case code := <-s.done:
		if code != exitOK {
			t.Errorf("serve exited with %d: %s", code, s.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop within 10 s of its context being cancelled")
	}
}

func (s *server) put(t *testing.T, body string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, s.baseURL+"/webhooks", strings.NewReader(body))
	req.Header.Set("X-API-Key", s.apiKey)
	req.Header.Set("Content-Type", "application/json")
	return doJSON(t, req, http.StatusOK)
}

func (s *server) get(t *testing.T) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.baseURL+"/webhooks", nil)
	req.Header.Set("X-API-Key", s.apiKey)
	return doJSON(t, req, http.StatusOK)
}

// status sends a GET of the webhook with key to s and returns the status.
func (s *server) status(t *testing.T, key string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.baseURL+"/webhooks", nil)
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// neverPrinted checks that serve's banner and log so far do not hold secret.
func (s *server) neverPrinted(t *testing.T, secret string) {
	t.Helper()
	for _, out := range []string{s.stdout.String(), s.stderr.String()} {
		if strings.Contains(out, secret) {
			t.Error("serve printed the webhook secret")
		}
	}
}

func doJSON(t *testing.T, req *http.Request, want int) map[string]any {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A restart with the same state file, without --api-key, keeps the webhook, its statistics
// and the key; serve never prints the webhook's secret.
func TestServe_restartWithTheStateFileKeepsTheWebhookAndKey(t *testing.T) {
	clearEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	s := startServe(t, "--api-key", "k-test", "--state", state, "--time-scale", "60000")
	if s.apiKey != "k-test" || !strings.HasPrefix(s.baseURL, "http://127.0.0.1:") || !strings.HasSuffix(s.baseURL, "/api/v1") || strings.HasSuffix(s.baseURL, ":0/api/v1") {
		t.Fatalf("base_url %q, key %q", s.baseURL, s.apiKey)
	}
	created := s.put(t, `{"url":"`+statusReceiver(t, 500, 200).URL+`","events":["job.failed","render.failed"]}`)
	secret, _ := created["secret"].(string)
	if r := runCmd(t, "", "trigger", "job.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "all"); r.code != exitOK {
		t.Fatalf("trigger --wait all: %+v", r)
	}
	// A delivery still in flight when serve stops is cancelled and changes none of the
	// statistics the restart is checked against: its receiver holds it until the test ends.
	s.put(t, `{"url":"`+holdingReceiver(t)+`","events":["job.failed","render.failed"]}`)
	if r := runCmd(t, "", "trigger", "render.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "none"); r.code != exitOK {
		t.Fatalf("trigger --wait none: %+v", r)
	}
	s.neverPrinted(t, secret)

	before := s.get(t)
	s.stop(t)
	s2 := startServe(t, "--state", state)
	if s2.apiKey != "k-test" {
		t.Errorf("restarted with key %q, want the key from the state file", s2.apiKey)
	}
	after := s2.get(t)
	for _, f := range []string{"id", "url", "lastTriggeredAt", "lastResponseStatus", "failureCount"} {
		if before[f] != after[f] {
			t.Errorf("%s: %v before the restart, %v after", f, before[f], after[f])
		}
	}
}

func TestServe_refusesAnAddressOtherMachinesCanReach(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "", "serve", "--addr", "0.0.0.0:0")
	if r.code != exitUsage {
		t.Errorf("non-loopback: code %d", r.code)
	}
	r.oneErrorLine(t, "--allow-remote")
	r = runCmd(t, "", "serve", "--addr", ":0")
	r.oneErrorLine(t, "refusing to listen")
}

func TestServe_refusesACorruptStateFileAndLeavesItAsItIs(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"accounts":[{"apiKey":"k"`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, "", "serve", "--state", path, "--api-key", "k")
	if r.code != exitFailure {
		t.Errorf("corrupt state: code %d", r.code)
	}
	r.oneErrorLine(t, "corrupt sandbox state file")
	r = runCmd(t, "", "serve", "--state", path) // Reading the keys fails the same way.
	r.oneErrorLine(t, "corrupt sandbox state file")

	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte(`{"version":1,"accounts":[]} trailing`), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, "", "serve", "--state", garbage, "--api-key", "k")
	r.oneErrorLine(t, "unexpected data after the JSON")
	if b, _ := os.ReadFile(garbage); string(b) != `{"version":1,"accounts":[]} trailing` {
		t.Errorf("serve changed a state file it refused: %q", b)
	}
}

func TestServe_refusesANonPositiveTimeScaleAndArguments(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "", "serve", "--time-scale", "0")
	r.oneErrorLine(t, "--time-scale must be positive")
	r = runCmd(t, "", "serve", "extra")
	r.oneErrorLine(t, `unexpected argument "extra"`)
}

// A second serve on the same state file refuses with a clear error; the first keeps serving.
func TestServe_stateFileInUseRefusedUntilTheFirstStops(t *testing.T) {
	clearEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	first := startServe(t, "--api-key", "k-test", "--state", state)
	r := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--api-key", "k-test", "--state", state)
	if r.code != exitFailure {
		t.Errorf("second serve: code %d, want %d", r.code, exitFailure)
	}
	r.oneErrorLine(t, "is used by another sandbox")
	first.put(t, `{"url":"https://example.com/h","events":["job.failed"]}`)
	first.stop(t)
	second := startServe(t, "--state", state)
	if got := second.get(t); got["url"] != "https://example.com/h" {
		t.Errorf("after the first stopped, the second sees %v", got)
	}
}

func TestShellQuote_quotesOnlyWhatAShellWouldChange(t *testing.T) {
	if got := shellQuote("it's"); got != `'it'\''s'` {
		t.Errorf("shellQuote = %s", got)
	}
	if got := shellQuote("sandbox-abc"); got != "sandbox-abc" {
		t.Errorf("shellQuote = %s", got)
	}
}

// Loopback addresses, by name or number, are served; any other only with --allow-remote; an
// address without a port is refused either way.
func TestCheckLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr        string
		allowRemote bool
		want        string // "" for accepted
	}{
		{"127.0.0.1:0", false, ""},
		{"[::1]:8080", false, ""},
		{"localhost:8080", false, ""},
		{"LocalHost:8080", false, ""},
		{"0.0.0.0:8080", false, "refusing to listen"},
		{"sandbox.example.com:8080", false, "refusing to listen"},
		{"0.0.0.0:8080", true, ""},
		{"127.0.0.1", false, "missing port"},
		{"127.0.0.1", true, "missing port"},
	} {
		err := checkLoopback(tc.addr, tc.allowRemote)
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("checkLoopback(%q, %t) = %v, want %q", tc.addr, tc.allowRemote, err, tc.want)
		}
	}
}

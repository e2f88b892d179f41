package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// clearEnv makes the tests independent of the caller's environment.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{envBaseURL, envAPIKey, envSecret} {
		t.Setenv(k, "")
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// oneErrorLine checks that stderr is one line holding want.
func (r result) oneErrorLine(t *testing.T, want string) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want one line containing %q", r.stderr, want)
	}
}

func TestRun_usage(t *testing.T) {
	clearEnv(t)
	if r := runCmd(t, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no args: %+v", r)
	}
	r := runCmd(t, "", "frobnicate")
	if r.code != exitUsage {
		t.Errorf("unknown command: code %d", r.code)
	}
	r.oneErrorLine(t, `unknown command "frobnicate"`)
	if r := runCmd(t, "", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "glossi-sandbox serve") {
		t.Errorf("--help: %+v", r)
	}
	for _, cmd := range []string{"serve", "trigger", "send", "verify"} {
		r := runCmd(t, "", cmd, "--help")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: glossi-sandbox "+cmd) || !strings.Contains(r.stdout, "Flags:") || r.stderr != "" {
			t.Errorf("%s --help: %+v", cmd, r)
		}
		if n := strings.Count(r.stdout, "Usage:"); n != 1 {
			t.Errorf("%s --help prints its usage %d times, want once:\n%s", cmd, n, r.stdout)
		}
		r = runCmd(t, "", cmd, "--no-such-flag")
		if r.code != exitUsage {
			t.Errorf("%s --no-such-flag: code %d", cmd, r.code)
		}
		r.oneErrorLine(t, "flag provided but not defined")
	}
}

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

// statusReceiver answers the statuses in turn (the last one repeats).
func statusReceiver(t *testing.T, statuses ...int) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		st := statuses[min(n, len(statuses)-1)]
		n++
		mu.Unlock()
		w.WriteHeader(st)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// holdingReceiver answers 200 to every request when the test ends, before its server closes.
func holdingReceiver(t *testing.T) (url string) {
	t.Helper()
	held := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-held }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(held) })
	return srv.URL
}

func TestServeAndTrigger(t *testing.T) {
	clearEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	s := startServe(t, "--api-key", "k-test", "--state", state, "--time-scale", "60000")
	if s.apiKey != "k-test" || !strings.HasPrefix(s.baseURL, "http://127.0.0.1:") || !strings.HasSuffix(s.baseURL, "/api/v1") || strings.HasSuffix(s.baseURL, ":0/api/v1") {
		t.Fatalf("base_url %q, key %q", s.baseURL, s.apiKey)
	}
	rc := statusReceiver(t, 500, 200)
	created := s.put(t, `{"url":"`+rc.URL+`","events":["job.failed","render.failed"]}`)
	secret, _ := created["secret"].(string)

	r := runCmd(t, "", "trigger", "job.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "all")
	if r.code != exitOK || !strings.Contains(r.stdout, "attempt 1/4") || !strings.Contains(r.stdout, "500 Internal Server Error") ||
		!strings.Contains(r.stdout, "attempt 2/4") || !strings.HasSuffix(r.stdout, "delivered\n") {
		t.Errorf("trigger --wait all: %+v", r)
	}

	// Defaults from the environment; data from stdin; the root URL works too.
	t.Setenv(envBaseURL, strings.TrimSuffix(s.baseURL, "/api/v1"))
	t.Setenv(envAPIKey, s.apiKey)
	r = runCmd(t, `{"jobId":"from-stdin"}`, "trigger", "--data", "-", "job.failed")
	if r.code != exitOK || !strings.Contains(r.stdout, "200 OK") {
		t.Errorf("trigger with env defaults: %+v", r)
	}
	// The receiver holds this delivery until the test ends: the answer says "queued" however
	// the delivery goroutine is scheduled, and the delivery, cancelled by the stop below,
	// changes none of the statistics the restart is checked against.
	s.put(t, `{"url":"`+holdingReceiver(t)+`","events":["job.failed","render.failed"]}`)
	r = runCmd(t, "", "trigger", "render.failed", "--wait", "none")
	if r.code != exitOK || !strings.HasSuffix(r.stdout, "queued\n") {
		t.Errorf("trigger --wait none: %+v", r)
	}

	// Refusals are one line naming the reason.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trigger", "model.processed"}, "not_subscribed"},
		{[]string{"trigger", "model.deleted"}, "unknown_event"},
		{[]string{"trigger", "job.failed", "--api-key", "wrong"}, "401 invalid_api_key"},
	} {
		r := runCmd(t, "", tc.args...)
		if r.code != exitFailure {
			t.Errorf("%v: code %d", tc.args, r.code)
		}
		r.oneErrorLine(t, tc.want)
	}
	for _, out := range []string{s.stdout.String(), s.stderr.String()} {
		if strings.Contains(out, secret) {
			t.Error("serve printed the webhook secret")
		}
	}

	// A restart with the same state file, without --api-key, keeps the
	// webhook and its key.
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

func TestTrigger_failurePaths(t *testing.T) {
	clearEnv(t)
	s := startServe(t, "--time-scale", "60000")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()
	s.put(t, `{"url":"`+closed+`/hook","events":["job.failed"]}`)

	r := runCmd(t, "", "trigger", "job.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "all")
	if r.code != exitFailure || strings.Count(r.stdout, "connection refused") != 4 || !strings.Contains(r.stdout, "failed after 4 attempts") {
		t.Errorf("trigger to a closed port: %+v", r)
	}
	if got := s.get(t)["failureCount"]; got != float64(1) {
		t.Errorf("failureCount = %v", got)
	}
	// On the real schedule the first retry is a minute away: the answer after the first attempt
	// finds it pending, however slowly it is written. (At --time-scale 60000 all four attempts
	// may be over by then.)
	slow := startServe(t)
	slow.put(t, `{"url":"`+closed+`/hook","events":["job.failed"]}`)
	r = runCmd(t, "", "trigger", "job.failed", "--url", slow.baseURL, "--api-key", slow.apiKey)
	if r.code != exitFailure || !strings.Contains(r.stdout, "not delivered yet: next retry at") {
		t.Errorf("trigger --wait first to a closed port: %+v", r)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"trigger", "job.failed", "--url", s.baseURL}, exitUsage, "no API key"},
		{[]string{"trigger", "--api-key", "k"}, exitUsage, "exactly one EVENT"},
		{[]string{"trigger", "job.failed", "--api-key", "k", "--wait", "forever"}, exitUsage, `--wait "forever"`},
		{[]string{"trigger", "job.failed", "--api-key", "k", "--url", closed}, exitFailure, "cannot reach the sandbox"},
		{[]string{"trigger", "job.failed", "--api-key", "k", "--data", "/no/such/file"}, exitFailure, "--data: open /no/such/file"},
	} {
		r := runCmd(t, "", tc.args...)
		if r.code != tc.code {
			t.Errorf("%v: code %d, want %d (%s)", tc.args, r.code, tc.code, r.stderr)
		}
		r.oneErrorLine(t, tc.want)
	}
}

func TestServe_refusals(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "", "serve", "--addr", "0.0.0.0:0")
	if r.code != exitUsage {
		t.Errorf("non-loopback: code %d", r.code)
	}
	r.oneErrorLine(t, "--allow-remote")
	r = runCmd(t, "", "serve", "--addr", ":0")
	r.oneErrorLine(t, "refusing to listen")

	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"accounts":[{"apiKey":"k"`), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, "", "serve", "--state", path, "--api-key", "k")
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

	r = runCmd(t, "", "serve", "--time-scale", "0")
	r.oneErrorLine(t, "--time-scale must be positive")
	r = runCmd(t, "", "serve", "extra")
	r.oneErrorLine(t, `unexpected argument "extra"`)
}

// verifyingReceiver verifies deliveries with glossiwebhook.
func verifyingReceiver(t *testing.T, secret string) *httptest.Server {
	t.Helper()
	v, err := glossiwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		if r.Header.Get("User-Agent") != "Glossi-Webhooks/sandbox" {
			http.Error(w, "bad user agent", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, "got "+string(ev.Type))
	})))
	t.Cleanup(srv.Close)
	return srv
}

func TestSend(t *testing.T) {
	clearEnv(t)
	const secret = "whsec_send_test"
	rc := verifyingReceiver(t, secret)

	r := runCmd(t, "", "send", "--url", rc.URL, "--secret", secret, "model.processed")
	if r.code != exitOK || !strings.Contains(r.stdout, "200 OK") || r.stderr != "" {
		t.Errorf("send: %+v", r)
	}
	t.Setenv(envSecret, secret)
	r = runCmd(t, `{"jobId":"j-1","error":"boom"}`, "send", "job.failed", "--url", rc.URL, "--data", "-")
	if r.code != exitOK {
		t.Errorf("send with the secret from the environment: %+v", r)
	}

	r = runCmd(t, "", "send", "--url", rc.URL, "--secret", "whsec_wrong", "model.processed")
	if r.code != exitFailure || !strings.Contains(r.stdout, "401 Unauthorized") || !strings.Contains(r.stdout, "the receiver answered:") {
		t.Errorf("send with a wrong secret: %+v", r)
	}
	if strings.Contains(r.stdout+r.stderr, "whsec_wrong") {
		t.Error("send printed the secret")
	}

	long := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("x", 5000))
	}))
	defer long.Close()
	r = runCmd(t, "", "send", "--url", long.URL, "job.failed")
	if r.code != exitFailure || len(r.stdout) > 1000 || !strings.Contains(r.stdout, "…") {
		t.Errorf("long answer not truncated: code %d, %d bytes", r.code, len(r.stdout))
	}

	hang := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // Then the server notices the client going away.
		<-r.Context().Done()
	}))
	defer hang.Close()
	r = runCmd(t, "", "send", "--url", hang.URL, "--timeout", "100ms", "job.failed")
	if r.code != exitFailure {
		t.Errorf("timeout: code %d", r.code)
	}
	r.oneErrorLine(t, "no answer within 100ms")

	t.Setenv(envSecret, "")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"send", "job.failed", "--secret", "s"}, exitUsage, "--url is required"},
		{[]string{"send", "job.failed", "--url", rc.URL}, exitUsage, "no secret"},
		{[]string{"send", "job.failed", "--url", "ftp://x", "--secret", "s"}, exitUsage, "not an absolute http(s) URL"},
		{[]string{"send", "job.nope", "--url", rc.URL, "--secret", "s"}, exitUsage, "unknown event"},
		{[]string{"send", "--url", rc.URL, "--secret", "s"}, exitUsage, "exactly one EVENT"},
		{[]string{"send", "job.failed", "--url", "http://127.0.0.1:1/", "--secret", "s"}, exitFailure, "connection refused"},
	} {
		r := runCmd(t, "", tc.args...)
		if r.code != tc.code {
			t.Errorf("%v: code %d, want %d (%s)", tc.args, r.code, tc.code, r.stderr)
		}
		r.oneErrorLine(t, tc.want)
	}
	r = runCmd(t, "[1]", "send", "job.failed", "--url", rc.URL, "--secret", "s", "--data", "-")
	r.oneErrorLine(t, "data must be a JSON object")
	// Text that is not JSON is not called "not a JSON object": the message says where it breaks.
	r = runCmd(t, "{bad", "send", "job.failed", "--url", rc.URL, "--secret", "s", "--data", "-")
	r.oneErrorLine(t, "--data: standard input is not JSON: invalid character 'b' looking for beginning of object key string at byte 2")
	r = runCmd(t, "{bad", "trigger", "job.failed", "--api-key", "k", "--data", "-")
	r.oneErrorLine(t, "--data: standard input is not JSON")
}

func TestVerify(t *testing.T) {
	clearEnv(t)
	const secret = "whsec_verify_test"
	body := `{"event":"model.processed","timestamp":"2025-01-15T10:30:00.000Z","data":{"modelId":"m-1","name":"Chaise é","glbFilePath":"https://s3.example.com/a/b.glb"}}`
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

	r := runCmd(t, body, "verify", "--signature", sig, "--secret", secret)
	if r.code != exitOK {
		t.Errorf("--secret flag: %+v", r)
	}
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

func TestSandboxRootAndQuote(t *testing.T) {
	for in, want := range map[string]string{
		"http://h:1/api/v1":   "http://h:1",
		"http://h:1/api/v1/ ": "http://h:1",
		"http://h:1/":         "http://h:1",
		"http://h:1":          "http://h:1",
	} {
		if got := sandboxRoot(in); got != want {
			t.Errorf("sandboxRoot(%q) = %q, want %q", in, got, want)
		}
	}
	if got := shellQuote("it's"); got != `'it'\''s'` {
		t.Errorf("shellQuote = %s", got)
	}
	if got := shellQuote("sandbox-abc"); got != "sandbox-abc" {
		t.Errorf("shellQuote = %s", got)
	}
}

// A second serve on the same state file refuses with a clear error; the first keeps serving.
func TestServe_stateFileLocked(t *testing.T) {
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

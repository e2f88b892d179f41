package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSandboxRoot_acceptsTheRootOrTheBaseURL(t *testing.T) {
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
}

// A refusal of the sandbox is one line naming its reason; serve's log of them never holds the
// webhook's secret.
func TestSandboxClient_refusalIsOneLineNamingTheReason(t *testing.T) {
	clearEnv(t)
	s := startServe(t, "--time-scale", "60000")
	created := s.put(t, `{"url":"`+statusReceiver(t, 200).URL+`","events":["job.failed","render.failed"]}`)
	t.Setenv(envBaseURL, strings.TrimSuffix(s.baseURL, "/api/v1"))
	t.Setenv(envAPIKey, s.apiKey)
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
	secret, _ := created["secret"].(string)
	s.neverPrinted(t, secret)
}

func TestSandboxClient_unreachableSandboxFails(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "", "trigger", "job.failed", "--api-key", "k", "--url", closedURL(t))
	if r.code != exitFailure {
		t.Errorf("code %d, want %d (%s)", r.code, exitFailure, r.stderr)
	}
	r.oneErrorLine(t, "cannot reach the sandbox")
}

// A --url that answers but is no glossi-sandbox (another server, a proxy's page): trigger fails
// with one line saying what answered, instead of reporting an empty delivery.
func TestSandboxClient_notASandboxSaysWhatAnswered(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"error page", http.StatusNotFound, "<html>Not Found</html>", "the sandbox answered 404 Not Found: <html>Not Found</html>"},
		{"not JSON", http.StatusOK, "hello", "(is it a glossi-sandbox?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			r := runCmd(t, "", "trigger", "job.failed", "--api-key", "k", "--url", srv.URL)
			if r.code != exitFailure {
				t.Errorf("code %d, want %d (%s)", r.code, exitFailure, r.stderr)
			}
			r.oneErrorLine(t, tc.want)
		})
	}
}

package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

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

// A delivery that send signs verifies with glossiwebhook, with the secret of the flag or of the
// environment, and the data of stdin.
func TestSend_signsAsGlossiDoes(t *testing.T) {
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
}

func TestSend_refusedDeliveryShowsTheAnswerButNotTheSecret(t *testing.T) {
	clearEnv(t)
	rc := verifyingReceiver(t, "whsec_send_test")
	r := runCmd(t, "", "send", "--url", rc.URL, "--secret", "whsec_wrong", "model.processed")
	if r.code != exitFailure || !strings.Contains(r.stdout, "401 Unauthorized") || !strings.Contains(r.stdout, "the receiver answered:") {
		t.Errorf("send with a wrong secret: %+v", r)
	}
	if strings.Contains(r.stdout+r.stderr, "whsec_wrong") {
		t.Error("send printed the secret")
	}
}

func TestSend_longAnswerTruncated(t *testing.T) {
	clearEnv(t)
	t.Setenv(envSecret, "whsec_send_test")
	long := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("x", 5000))
	}))
	defer long.Close()
	r := runCmd(t, "", "send", "--url", long.URL, "job.failed")
	if r.code != exitFailure || len(r.stdout) > 1000 || !strings.Contains(r.stdout, "…") {
		t.Errorf("long answer not truncated: code %d, %d bytes", r.code, len(r.stdout))
	}
}

func TestSend_noAnswerWithinTheTimeoutFails(t *testing.T) {
	clearEnv(t)
	t.Setenv(envSecret, "whsec_send_test")
	hang := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // Then the server notices the client going away.
		<-r.Context().Done()
	}))
	defer hang.Close()
	r := runCmd(t, "", "send", "--url", hang.URL, "--timeout", "100ms", "job.failed")
	if r.code != exitFailure {
		t.Errorf("timeout: code %d", r.code)
	}
	r.oneErrorLine(t, "no answer within 100ms")
}

func TestSend_refusesBadArguments(t *testing.T) {
	clearEnv(t)
	rc := verifyingReceiver(t, "whsec_send_test")
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
	r := runCmd(t, "[1]", "send", "job.failed", "--url", rc.URL, "--secret", "s", "--data", "-")
	r.oneErrorLine(t, "data must be a JSON object")
}

// send does not follow a redirect, as the sandbox's deliveries do not: the redirect is the
// answer, and a failure.
func TestSend_redirectIsTheAnswer(t *testing.T) {
	clearEnv(t)
	t.Setenv(envSecret, "whsec_send_test")
	target := statusReceiver(t, http.StatusOK)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL+"/elsewhere", http.StatusFound))
	defer redirect.Close()
	r := runCmd(t, "", "send", "--url", redirect.URL, "job.failed")
	if r.code != exitFailure || !strings.Contains(r.stdout, "302 Found") {
		t.Errorf("send to a redirect: %+v; want a failure showing the 302", r)
	}
}

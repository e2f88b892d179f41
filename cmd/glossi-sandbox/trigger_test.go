package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

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

// closedURL returns the URL of a port where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()
	return closed
}

// serveWebhook starts serve, on a fast schedule, with a webhook for url subscribed to
// job.failed and render.failed.
func serveWebhook(t *testing.T, url string) *server {
	t.Helper()
	s := startServe(t, "--time-scale", "60000")
	s.put(t, `{"url":"`+url+`","events":["job.failed","render.failed"]}`)
	return s
}

func TestTrigger_waitAllReportsEveryAttemptUntilDelivered(t *testing.T) {
	clearEnv(t)
	s := serveWebhook(t, statusReceiver(t, 500, 200).URL)
	r := runCmd(t, "", "trigger", "job.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "all")
	if r.code != exitOK || !strings.Contains(r.stdout, "attempt 1/4") || !strings.Contains(r.stdout, "500 Internal Server Error") ||
		!strings.Contains(r.stdout, "attempt 2/4") || !strings.HasSuffix(r.stdout, "delivered\n") {
		t.Errorf("trigger --wait all: %+v", r)
	}
}

// The sandbox and the key default to the environment; the data comes from stdin; the sandbox's
// root URL serves as well as its base URL.
func TestTrigger_takesTheSandboxAndKeyFromTheEnvironment(t *testing.T) {
	clearEnv(t)
	s := serveWebhook(t, statusReceiver(t, 200).URL)
	t.Setenv(envBaseURL, strings.TrimSuffix(s.baseURL, "/api/v1"))
	t.Setenv(envAPIKey, s.apiKey)
	r := runCmd(t, `{"jobId":"from-stdin"}`, "trigger", "--data", "-", "job.failed")
	if r.code != exitOK || !strings.Contains(r.stdout, "200 OK") {
		t.Errorf("trigger with env defaults: %+v", r)
	}
}

// The receiver holds this delivery until the test ends: the answer says "queued" however the
// delivery goroutine is scheduled.
func TestTrigger_waitNoneSaysQueued(t *testing.T) {
	clearEnv(t)
	s := serveWebhook(t, holdingReceiver(t))
	r := runCmd(t, "", "trigger", "render.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "none")
	if r.code != exitOK || !strings.HasSuffix(r.stdout, "queued\n") {
		t.Errorf("trigger --wait none: %+v", r)
	}
}

func TestTrigger_undeliverableFailsAfterEveryAttempt(t *testing.T) {
	clearEnv(t)
	s := serveWebhook(t, closedURL(t)+"/hook")
	r := runCmd(t, "", "trigger", "job.failed", "--url", s.baseURL, "--api-key", s.apiKey, "--wait", "all")
	if r.code != exitFailure || strings.Count(r.stdout, "connection refused") != 4 || !strings.Contains(r.stdout, "failed after 4 attempts") {
		t.Errorf("trigger to a closed port: %+v", r)
	}
	if got := s.get(t)["failureCount"]; got != float64(1) {
		t.Errorf("failureCount = %v", got)
	}
}

// On the real schedule the first retry is a minute away: the answer after the first attempt
// finds it pending, however slowly it is written. (At --time-scale 60000 all four attempts may
// be over by then.)
func TestTrigger_firstAttemptFailedSaysWhenTheNextRetryIs(t *testing.T) {
	clearEnv(t)
	slow := startServe(t)
	slow.put(t, `{"url":"`+closedURL(t)+`/hook","events":["job.failed"]}`)
	r := runCmd(t, "", "trigger", "job.failed", "--url", slow.baseURL, "--api-key", slow.apiKey)
	if r.code != exitFailure || !strings.Contains(r.stdout, "not delivered yet: next retry at") {
		t.Errorf("trigger --wait first to a closed port: %+v", r)
	}
}

func TestTrigger_refusesBadArguments(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trigger", "job.failed", "--url", "http://127.0.0.1:8080/api/v1"}, "no API key"},
		{[]string{"trigger", "--api-key", "k"}, "exactly one EVENT"},
		{[]string{"trigger", "job.failed", "--api-key", "k", "--wait", "forever"}, `--wait "forever"`},
		{[]string{"trigger", "job.failed", "--api-key", "k", "--url", "http://[::1"}, "--url: parse"},
	} {
		r := runCmd(t, "", tc.args...)
		if r.code != exitUsage {
			t.Errorf("%v: code %d, want %d (%s)", tc.args, r.code, exitUsage, r.stderr)
		}
		r.oneErrorLine(t, tc.want)
	}
}

// What trigger prints of a delivery: each attempt, with the start of the answer that refused
// it on one line, then the outcome and its exit code.
func TestPrintDelivery_answersAndOutcomes(t *testing.T) {
	at := time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)
	refused := sandbox.Attempt{Number: 1, Time: at, Status: http.StatusBadRequest, Response: "bad\nsignature"}
	head := "delivery d1: job.failed -> http://127.0.0.1:8090/hook\n  attempt 1/4 at 10:30:00.000: 400 Bad Request: bad signature\n"
	for _, tc := range []struct {
		name  string
		state sandbox.DeliveryState
		wait  string
		want  string
		code  int
	}{
		{"cancelled", sandbox.DeliveryCancelled, sandbox.WaitAll, "cancelled: the webhook was deleted\n", exitFailure},
		{"pending, no retry scheduled", sandbox.DeliveryPending, sandbox.WaitFirst, "not delivered yet\n", exitFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := sandbox.TriggerResponse{ID: "d1", Event: "job.failed", URL: "http://127.0.0.1:8090/hook", State: tc.state,
				Attempts: []sandbox.Attempt{refused}, Reason: "the webhook was deleted"}
			var out strings.Builder
			if code := printDelivery(&out, tr, tc.wait); code != tc.code || out.String() != head+tc.want {
				t.Errorf("printDelivery = %d:\n%s\nwant %d:\n%s", code, out.String(), tc.code, head+tc.want)
			}
		})
	}
}

package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// fastScale runs the retry schedule (retryDelays, in minutes) in as many milliseconds.
const fastScale = 60000

// received is one delivery as a receiver saw it.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint answering a scripted sequence of statuses
// (the last one repeats) and recording what it receives.
type receiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []received
	hook     func(r *http.Request) // Runs before answering; may block.
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	rc := &receiver{t: t, statuses: statuses}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body})
		n := len(rc.got)
		hook := rc.hook
		status := http.StatusOK
		if len(rc.statuses) > 0 {
			status = rc.statuses[min(n, len(rc.statuses))-1]
		}
		rc.mu.Unlock()
		if hook != nil {
			hook(r)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "answer "+http.StatusText(status))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// setHook makes rc run hook on each request it receives, before answering it.
func (rc *receiver) setHook(hook func(r *http.Request)) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.hook = hook
}

// holdDeliveries makes rc hold every request it receives until release is called (at the
// latest when the test ends, before rc's server closes).
func holdDeliveries(rc *receiver) (release func()) {
	held := make(chan struct{})
	rc.setHook(func(*http.Request) { <-held })
	release = sync.OnceFunc(func() { close(held) })
	rc.t.Cleanup(release)
	return release
}

// waitReceived waits until rc has received n requests, for 10 s at most.
func waitReceived(t *testing.T, rc *receiver, n int) {
	t.Helper()
	waitUntil(t, 10*time.Second, fmt.Sprintf("the receiver got fewer than %d requests", n), func() bool { return len(rc.received()) >= n })
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

// deliveryEnv is a sandbox with a fast retry schedule and a webhook for key
// subscribed to every event, pointing at url. An attempt times out after the
// documented 30 s unless opts say otherwise: the 1 s that fastScale's timeout
// comes to is more than a loopback receiver needs, but not more than a loaded
// machine under -race may take.
func deliveryEnv(t *testing.T, url string, opts sandbox.Options) (*env, sandbox.Webhook) {
	t.Helper()
	if opts.DeliveryTimeScale == 0 {
		opts.DeliveryTimeScale = fastScale
	}
	if opts.DeliveryTimeout == 0 {
		opts.DeliveryTimeout = sandbox.DefaultDeliveryTimeout
	}
	e := newEnv(t, opts)
	t.Cleanup(func() { _ = e.sb.Close() })
	w := e.sb.SetWebhook(key, sandbox.Webhook{URL: url, Events: sandbox.EventTypes(), Enabled: true})
	return e, w
}

// waitDone waits for d to finish, failing the test after 10 seconds.
func waitDone(t *testing.T, d *sandbox.Delivery) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Wait(ctx); err != nil {
		t.Fatalf("delivery not finished: %v; attempts %+v", err, d.Attempts())
	}
}

// failedAttempts waits for d and returns its attempts, failing the test unless d failed after
// every attempt.
func failedAttempts(t *testing.T, d *sandbox.Delivery) []sandbox.Attempt {
	t.Helper()
	waitDone(t, d)
	as := d.Attempts()
	if len(as) != sandbox.MaxAttempts || d.State() != sandbox.DeliveryFailed {
		t.Fatalf("attempts %+v, state %s; want %d failed attempts", as, d.State(), sandbox.MaxAttempts)
	}
	return as
}

func mustTrigger(t *testing.T, sb *sandbox.Sandbox, event string, data json.RawMessage) *sandbox.Delivery {
	t.Helper()
	d, err := sb.Trigger(context.Background(), key, event, data)
	if err != nil {
		t.Fatalf("Trigger(%s): %v", event, err)
	}
	return d
}

var timestampRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

func TestTrigger_envelopeAndHeaders(t *testing.T) {
	wantData := map[string][]string{
		"model.processed": {"modelId", "name", "status", "glbFilePath", "thumbnailUrl"},
		"model.failed":    {"modelId", "name", "status", "error"},
		"project.created": {"projectId", "name", "modelIds", "templateId"},
		"job.complete":    {"jobId", "status", "results"},
		"job.failed":      {"jobId", "status", "error"},
		"render.complete": {"jobId", "status", "projectId", "renderIds"},
		"render.failed":   {"jobId", "projectId", "error"},
	}
	rc := newReceiver(t, http.StatusOK)
	e, w := deliveryEnv(t, rc.srv.URL+"/hook", sandbox.Options{})
	for i, event := range sandbox.EventTypes() {
		d := mustTrigger(t, e.sb, event, nil)
		waitDone(t, d)
		if st := d.State(); st != sandbox.DeliveryDelivered {
			t.Fatalf("%s: state %s, want delivered", event, st)
		}
		got := rc.received()[i]
		if ct := got.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", event, ct)
		}
		if ua := got.header.Get("User-Agent"); ua != "Glossi-Webhooks/sandbox" {
			t.Errorf("%s: User-Agent %q", event, ua)
		}
		if sig := got.header.Get(glossiwebhook.SignatureHeader); sig != glossiwebhook.Sign(got.body, w.Secret) {
			t.Errorf("%s: the signature does not match the body under the webhook secret", event)
		}
		if !bytes.Equal(got.body, d.Body()) {
			t.Errorf("%s: received body differs from Delivery.Body", event)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, got.body); err != nil || !bytes.Equal(compact.Bytes(), got.body) {
			t.Errorf("%s: body is not compact JSON: %s", event, got.body)
		}
		if !bytes.HasPrefix(got.body, []byte(`{"event":"`+event+`","timestamp":"2025-01-15T10:30:00.123Z","data":{`)) {
			t.Errorf("%s: envelope %s", event, got.body)
		}
		var env struct {
			Event     string                     `json:"event"`
			Timestamp string                     `json:"timestamp"`
			Data      map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(got.body, &env); err != nil {
			t.Fatal(err)
		}
		if !timestampRE.MatchString(env.Timestamp) {
			t.Errorf("%s: timestamp %q", event, env.Timestamp)
		}
		if got, want := keys(anyMap(env.Data)), sorted(wantData[event]); !slices.Equal(got, want) {
			t.Errorf("%s: data keys %v, want %v", event, got, want)
		}
		// glossiwebhook verifies it and decodes its data.
		v, err := glossiwebhook.NewVerifier(w.Secret, glossiwebhook.WithClock(func() time.Time { return fixedNow }))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := v.Parse(got.body, got.header.Get(glossiwebhook.SignatureHeader))
		if err != nil {
			t.Fatalf("%s: glossiwebhook refuses the delivery: %v", event, err)
		}
		if _, err := glossiwebhook.DataAs[map[string]any](ev); err != nil {
			t.Errorf("%s: DataAs: %v", event, err)
		}
	}
	g := e.get(key).json(t)
	if g["lastTriggeredAt"] != "2025-01-15T10:30:00.123Z" || g["lastResponseStatus"] != float64(200) || g["failureCount"] != float64(0) {
		t.Errorf("GET after deliveries = %v", g)
	}
}

func anyMap(m map[string]json.RawMessage) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestTrigger_givenData(t *testing.T) {
	rc := newReceiver(t, http.StatusOK)
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{})
	d := mustTrigger(t, e.sb, "job.failed", json.RawMessage("{\n  \"jobId\": \"j-1\",\n  \"note\": \"<a&b>\"\n}\n"))
	waitDone(t, d)
	want := `{"event":"job.failed","timestamp":"2025-01-15T10:30:00.123Z","data":{"jobId":"j-1","note":"<a&b>"}}`
	if got := string(rc.received()[0].body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestTrigger_retries(t *testing.T) {
	tests := []struct {
		name         string
		statuses     []int
		wantAttempts []int
		wantState    sandbox.DeliveryState
		wantFailures float64
	}{
		{"always 500", []int{500}, []int{500, 500, 500, 500}, sandbox.DeliveryFailed, 1},
		{"500 then 200", []int{500, 200}, []int{500, 200}, sandbox.DeliveryDelivered, 0},
		{"404, 302, 503 then 204", []int{404, 302, 503, 204}, []int{404, 302, 503, 204}, sandbox.DeliveryDelivered, 0},
		{"first try", []int{202}, []int{202}, sandbox.DeliveryDelivered, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.statuses...)
			e, w := deliveryEnv(t, rc.srv.URL, sandbox.Options{})
			d := mustTrigger(t, e.sb, "render.complete", nil)
			waitDone(t, d)
			if st := d.State(); st != tt.wantState {
				t.Errorf("state %s, want %s", st, tt.wantState)
			}
			var statuses []int
			for i, a := range d.Attempts() {
				statuses = append(statuses, a.Status)
				if a.Number != i+1 {
					t.Errorf("attempt %d numbered %d", i+1, a.Number)
				}
				if !a.OK() && !strings.HasPrefix(a.Response, "answer ") {
					t.Errorf("attempt %d: response %q", a.Number, a.Response)
				}
			}
			if !slices.Equal(statuses, tt.wantAttempts) {
				t.Errorf("attempt statuses %v, want %v", statuses, tt.wantAttempts)
			}
			got := rc.received()
			if len(got) != len(tt.wantAttempts) {
				t.Fatalf("receiver got %d requests, want %d", len(got), len(tt.wantAttempts))
			}
			for i, r := range got {
				if !bytes.Equal(r.body, got[0].body) {
					t.Errorf("attempt %d: body differs from the first attempt's", i+1)
				}
				if r.header.Get(glossiwebhook.SignatureHeader) != glossiwebhook.Sign(got[0].body, w.Secret) {
					t.Errorf("attempt %d: signature is not Sign(body, secret)", i+1)
				}
			}
			g := e.get(key).json(t)
			if g["failureCount"] != tt.wantFailures {
				t.Errorf("failureCount = %v, want %v", g["failureCount"], tt.wantFailures)
			}
			if g["lastResponseStatus"] != float64(tt.wantAttempts[len(tt.wantAttempts)-1]) {
				t.Errorf("lastResponseStatus = %v", g["lastResponseStatus"])
			}
		})
	}
}

func TestTrigger_retryKeepsSignatureAfterRotation(t *testing.T) {
	rc := newReceiver(t, 500, 200)
	var once sync.Once
	rc.hook = func(*http.Request) {}
	e, w := deliveryEnv(t, rc.srv.URL, sandbox.Options{DeliveryTimeScale: 6000}) // Retry after 10 ms.
	rc.setHook(func(*http.Request) {
		once.Do(func() { e.sb.UpdateWebhook(key, func(h *sandbox.Webhook) { h.Secret = "whsec_rotated" }) })
	})
	d := mustTrigger(t, e.sb, "job.complete", nil)
	waitDone(t, d)
	got := rc.received()
	if len(got) != 2 {
		t.Fatalf("got %d requests", len(got))
	}
	if got[1].header.Get(glossiwebhook.SignatureHeader) != glossiwebhook.Sign(got[1].body, w.Secret) {
		t.Error("the retry is not signed like the first attempt")
	}
}

func TestTrigger_connectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String() + "/hook"
	_ = l.Close()
	e, _ := deliveryEnv(t, url, sandbox.Options{})
	e.sb.RecordDelivery(key, 200, sandbox.RetriesLeft) // An earlier answer must not stay the last status.
	d := mustTrigger(t, e.sb, "model.failed", nil)
	for _, a := range failedAttempts(t, d) {
		if a.Status != 0 || a.Error != "connection refused" {
			t.Errorf("attempt %+v, want connection refused", a)
		}
	}
	g := e.get(key).json(t)
	if g["failureCount"] != float64(1) || g["lastResponseStatus"] != nil || g["lastTriggeredAt"] == nil {
		t.Errorf("GET = %v", g)
	}
}

func TestTrigger_timeout(t *testing.T) {
	rc := newReceiver(t, http.StatusOK)
	rc.hook = func(r *http.Request) { <-r.Context().Done() } // Never answers in time.
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{DeliveryTimeout: 50 * time.Millisecond})
	d := mustTrigger(t, e.sb, "render.failed", nil)
	for _, a := range failedAttempts(t, d) {
		if a.Error != "timeout after 50ms" {
			t.Errorf("attempt %+v, want a timeout", a)
		}
	}
	if g := e.get(key).json(t); g["failureCount"] != float64(1) {
		t.Errorf("failureCount = %v", g["failureCount"])
	}
}

func TestTrigger_refusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(sb *sandbox.Sandbox)
		event  string
		data   string
		want   error
		reason string
		status int
	}{
		{"no webhook", func(sb *sandbox.Sandbox) { sb.DeleteWebhook(key) }, "job.failed", "", sandbox.ErrNoWebhook, "no_webhook", 409},
		{"disabled", func(sb *sandbox.Sandbox) {
			sb.UpdateWebhook(key, func(w *sandbox.Webhook) { w.Enabled = false })
		}, "job.failed", "", sandbox.ErrWebhookDisabled, "webhook_disabled", 409},
		{"not subscribed", func(sb *sandbox.Sandbox) {
			sb.UpdateWebhook(key, func(w *sandbox.Webhook) { w.Events = []string{"model.processed"} })
		}, "job.failed", "", sandbox.ErrNotSubscribed, "not_subscribed", 409},
		{"unknown event", nil, "model.deleted", "", sandbox.ErrUnknownEvent, "unknown_event", 422},
		{"data not an object", nil, "job.failed", `[1,2]`, sandbox.ErrInvalidData, "invalid_data", 422},
		{"data not JSON", nil, "job.failed", `{"a":`, sandbox.ErrInvalidData, "invalid_data", 422},
	}
	const markerKey = "marker-account"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, http.StatusOK)
			// One worker takes deliveries in the order they are queued: once the marker
			// delivery of another account is delivered, any delivery a refusal queued by
			// mistake has been attempted before it.
			e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{APIKeys: []string{key, markerKey}, DeliveryWorkers: 1})
			e.sb.SetWebhook(markerKey, sandbox.Webhook{URL: rc.srv.URL, Events: []string{"job.failed"}, Enabled: true})
			if tt.setup != nil {
				tt.setup(e.sb)
			}
			var data json.RawMessage
			if tt.data != "" {
				data = json.RawMessage(tt.data)
			}
			d, err := e.sb.Trigger(context.Background(), key, tt.event, data)
			if !errors.Is(err, tt.want) || d != nil {
				t.Fatalf("Trigger = %v, %v; want %v", d, err, tt.want)
			}
			te, ok := errors.AsType[*sandbox.TriggerError](err)
			if !ok || te.Reason != tt.reason || te.Event != tt.event {
				t.Errorf("error %#v, want reason %s", err, tt.reason)
			}
			body := `{"event":"` + tt.event + `"}`
			if tt.data != "" && json.Valid([]byte(tt.data)) {
				body = `{"event":"` + tt.event + `","data":` + tt.data + `}`
			}
			if tt.data != "" && !json.Valid([]byte(tt.data)) {
				return // Not expressible in a JSON request body.
			}
			r := e.do(http.MethodPost, sandbox.TriggerPath, key, body)
			mustStatus(t, r, tt.status)
			var er sandbox.TriggerErrorResponse
			if err = json.Unmarshal(r.body, &er); err != nil || er.Reason != tt.reason || er.Error == "" {
				t.Errorf("answer %s, want reason %s", r.body, tt.reason)
			}
			marker, err := e.sb.Trigger(context.Background(), markerKey, "job.failed", nil)
			if err != nil {
				t.Fatal(err)
			}
			waitDone(t, marker)
			if n := len(rc.received()) - 1; n != 0 {
				t.Errorf("receiver got %d deliveries besides the marker, want none", n)
			}
		})
	}
}

func TestTrigger_queueFull(t *testing.T) {
	rc := newReceiver(t, http.StatusOK)
	started := make(chan struct{}, 10)
	release := make(chan struct{})
	rc.hook = func(*http.Request) {
		started <- struct{}{}
		<-release
	}
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{DeliveryWorkers: 1, DeliveryQueueSize: 1})
	d1 := mustTrigger(t, e.sb, "job.failed", nil)
	<-started // The only worker is busy with d1.
	d2 := mustTrigger(t, e.sb, "job.failed", nil)
	_, err := e.sb.Trigger(context.Background(), key, "job.failed", nil)
	if !errors.Is(err, sandbox.ErrQueueFull) {
		t.Fatalf("third Trigger = %v, want ErrQueueFull", err)
	}
	r := e.do(http.MethodPost, sandbox.TriggerPath, key, `{"event":"job.failed","wait":"none"}`)
	mustStatus(t, r, http.StatusServiceUnavailable)
	if !strings.Contains(string(r.body), `"reason":"queue_full"`) || r.header.Get("Retry-After") != "1" {
		t.Errorf("answer %s, Retry-After %q", r.body, r.header.Get("Retry-After"))
	}
	close(release)
	waitDone(t, d1)
	waitDone(t, d2)
}

func TestTriggerEndpoint(t *testing.T) {
	rc := newReceiver(t, 500, 500, 200)
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{})

	decode := func(r reply) sandbox.TriggerResponse {
		t.Helper()
		var tr sandbox.TriggerResponse
		if err := json.Unmarshal(r.body, &tr); err != nil {
			t.Fatalf("answer %s: %v", r.body, err)
		}
		return tr
	}
	r := e.do(http.MethodPost, sandbox.TriggerPath, key, `{"event":"model.processed","wait":"first"}`)
	mustStatus(t, r, http.StatusOK)
	tr := decode(r)
	if len(tr.Attempts) < 1 || tr.Attempts[0].Status != 500 || tr.Event != "model.processed" || tr.ID == "" {
		t.Errorf("wait first: %s", r.body)
	}
	if strings.Contains(string(r.body), "whsec_") {
		t.Errorf("the answer holds a secret: %s", r.body)
	}

	// The first delivery goes on retrying in the background: let it finish
	// (500, 500, 200) before setting the statuses of the second, or its
	// retries take them.
	waitReceived(t, rc, 3)
	rc.mu.Lock()
	rc.got, rc.statuses = nil, []int{500, 200}
	rc.mu.Unlock()
	r = e.do(http.MethodPost, sandbox.TriggerPath, key, `{"event":"job.failed","data":{"jobId":"x"},"wait":"all"}`)
	mustStatus(t, r, http.StatusOK)
	tr = decode(r)
	if tr.State != sandbox.DeliveryDelivered || len(tr.Attempts) != 2 || tr.Attempts[1].Status != 200 {
		t.Errorf("wait all: %s", r.body)
	}

	// The receiver holds the third delivery until the answer is read, so it cannot have been
	// delivered yet, however the delivery goroutine is scheduled.
	release := holdDeliveries(rc)
	r = e.do(http.MethodPost, sandbox.TriggerPath, key, `{"event":"job.failed","wait":"none"}`)
	release()
	mustStatus(t, r, http.StatusAccepted)
	if tr := decode(r); tr.State != sandbox.DeliveryPending {
		t.Errorf("wait none: %s", r.body)
	}

	for _, tc := range []struct {
		method, key, body string
		status            int
		reason            string
	}{
		{http.MethodPost, "wrong-key", `{"event":"job.failed"}`, 401, "invalid_api_key"},
		{http.MethodPost, "", `{"event":"job.failed"}`, 401, "invalid_api_key"},
		{http.MethodGet, key, ``, 405, "method_not_allowed"},
		{http.MethodPost, key, `{"event":"job.failed","wait":"forever"}`, 400, "bad_request"},
		{http.MethodPost, key, `{"evnt":"job.failed"}`, 400, "bad_request"},
		{http.MethodPost, key, `{}`, 400, "bad_request"},
		{http.MethodPost, key, `not json`, 400, "bad_request"},
		{http.MethodPost, key, `{"event":"job.failed","data":"` + strings.Repeat("x", sandbox.MaxBodyBytes) + `"}`, 413, "too_large"},
	} {
		r := e.do(tc.method, sandbox.TriggerPath, tc.key, tc.body)
		if r.status != tc.status || !strings.Contains(string(r.body), `"reason":"`+tc.reason+`"`) {
			t.Errorf("%s %.40s key=%q: status %d, want %d with reason %s (%.200s)", tc.method, tc.body, tc.key, r.status, tc.status, tc.reason, r.body)
		}
	}
	if n := e.sb.CountRequests(""); n != 0 {
		t.Errorf("the request log holds %d control requests, want none", n)
	}
}

func TestShutdown(t *testing.T) {
	baseline := runtime.NumGoroutine()
	inflight := newReceiver(t, http.StatusOK)
	hit := make(chan struct{}, 1)
	inflight.hook = func(r *http.Request) {
		hit <- struct{}{}
		<-r.Context().Done()
	}
	failing := newReceiver(t, http.StatusInternalServerError)

	e := newEnv(t, sandbox.Options{APIKeys: []string{"a", "b"}, DeliveryTimeScale: 1}) // Real-time retries: 1 minute.
	e.sb.SetWebhook("a", sandbox.Webhook{URL: inflight.srv.URL, Events: sandbox.EventTypes(), Enabled: true})
	e.sb.SetWebhook("b", sandbox.Webhook{URL: failing.srv.URL, Events: sandbox.EventTypes(), Enabled: true})

	dIn, err := e.sb.Trigger(context.Background(), "a", "job.failed", nil)
	if err != nil {
		t.Fatal(err)
	}
	dRetry, err := e.sb.Trigger(context.Background(), "b", "job.failed", nil)
	if err != nil {
		t.Fatal(err)
	}
	<-hit
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dRetry.WaitFirst(ctx); err != nil {
		t.Fatal(err)
	}
	if dRetry.NextRetry().IsZero() {
		t.Fatal("no retry scheduled")
	}

	// Waiting for the attempt in flight would take until its 30 s timeout, and waiting for the
	// retry a minute: any bound under 30 s shows Shutdown waits for neither, however loaded
	// the machine.
	const bound = 20 * time.Second
	sctx, scancel := context.WithTimeout(context.Background(), 2*bound)
	defer scancel()
	start := time.Now()
	if err := e.sb.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > bound {
		t.Errorf("Shutdown took %v", d)
	}
	for name, d := range map[string]*sandbox.Delivery{"in flight": dIn, "pending retry": dRetry} {
		select {
		case <-d.Done():
		default:
			t.Errorf("%s: not done after Shutdown", name)
		}
		if d.State() != sandbox.DeliveryCancelled || d.CancelReason() == "" {
			t.Errorf("%s: state %s (%q), want cancelled", name, d.State(), d.CancelReason())
		}
	}
	if g := e.get("b").json(t); g["failureCount"] != float64(0) {
		t.Errorf("a cancelled delivery counted as a failure: %v", g)
	}
	if _, err := e.sb.Trigger(context.Background(), "a", "job.failed", nil); !errors.Is(err, sandbox.ErrClosed) {
		t.Errorf("Trigger after Shutdown = %v, want ErrClosed", err)
	}
	if err := e.sb.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// Every delivery goroutine is gone (the test servers' own goroutines
	// are closed first).
	inflight.srv.Close()
	failing.srv.Close()
	e.srv.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Shutdown, %d before:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
}

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	rc := newReceiver(t, 500)

	sb, err := sandbox.NewPersistent(sandbox.Options{DeliveryTimeScale: fastScale}, path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	e := &env{t: t, sb: sb, srv: srv}
	created := e.put(key, `{"url":"`+rc.srv.URL+`","events":["job.failed"],"description":"kept"}`).json(t)
	d := mustTrigger(t, sb, "job.failed", nil)
	waitDone(t, d)
	before := e.get(key).json(t)
	srv.Close()
	_ = sb.Close()

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 { // state.json and state.json.lock
		t.Errorf("temporary files left: %v", entries)
	}
	if keys := stateAccounts(t, path); !slices.Equal(keys, []string{key}) {
		t.Errorf("the state file's accounts = %v", keys)
	}

	sb2, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sb2.Close() }()
	srv2 := httptest.NewServer(sb2)
	defer srv2.Close()
	e2 := &env{t: t, sb: sb2, srv: srv2}
	after := e2.get(key).json(t)
	for _, f := range []string{"id", "url", "events", "description", "lastTriggeredAt", "lastResponseStatus", "failureCount"} {
		if !jsonEqual(before[f], after[f]) {
			t.Errorf("%s: %v before the restart, %v after", f, before[f], after[f])
		}
	}
	if after["failureCount"] != float64(1) {
		t.Errorf("failureCount = %v", after["failureCount"])
	}
	w, _ := sb2.Webhook(key)
	if w.Secret != created["secret"] {
		t.Error("the secret changed across the restart")
	}

	// Deleting is saved too.
	mustStatus(t, e2.del(key), http.StatusOK)
	_ = sb2.Close()
	sb3, err := sandbox.NewPersistent(sandbox.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sb3.Webhook(key); ok {
		t.Error("the deleted webhook came back")
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestPersistence_badFiles(t *testing.T) {
	good := `{"version":1,"accounts":[{"apiKey":"k","webhook":{"id":"i","url":"https://x","secret":"s","events":["job.failed"],"enabled":true,"failureCount":0}}]}`
	tests := map[string]string{
		"truncated":      good[:len(good)/2],
		"empty":          "",
		"not JSON":       "garbage",
		"wrong version":  `{"version":9,"accounts":[]}`,
		"unknown field":  `{"version":1,"accounts":[],"extra":1}`,
		"missing secret": strings.Replace(good, `"secret":"s",`, "", 1),
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := sandbox.NewPersistent(sandbox.Options{}, path)
			if !errors.Is(err, sandbox.ErrCorruptState) || !strings.Contains(err.Error(), path) {
				t.Errorf("NewPersistent = %v, want ErrCorruptState naming the file", err)
			}
			if b, _ := os.ReadFile(path); string(b) != content {
				t.Error("the corrupt file was changed")
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		sb, err := sandbox.NewPersistent(sandbox.Options{}, filepath.Join(t.TempDir(), "none.json"))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := sb.Webhook(key); ok {
			t.Error("webhook in a fresh state")
		}
	})
	t.Run("good", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
			t.Fatal(err)
		}
		sb, err := sandbox.NewPersistent(sandbox.Options{APIKeys: []string{"k"}}, path)
		if err != nil {
			t.Fatal(err)
		}
		if w, ok := sb.Webhook("k"); !ok || w.ID != "i" || w.Secret != "s" {
			t.Errorf("Webhook = %+v, %v", w, ok)
		}
	})
}

func TestSampleDataAndBody(t *testing.T) {
	for _, ev := range sandbox.EventTypes() {
		d, err := sandbox.SampleData(ev)
		if err != nil || !json.Valid(d) || d[0] != '{' {
			t.Errorf("SampleData(%s) = %s, %v", ev, d, err)
		}
	}
	if _, err := sandbox.SampleData("nope"); !errors.Is(err, sandbox.ErrUnknownEvent) || !strings.Contains(err.Error(), "model.processed, model.failed") {
		t.Errorf("SampleData(nope) = %v", err)
	}
	at := time.Date(2025, 1, 15, 11, 30, 0, 0, time.FixedZone("CET", 3600))
	b, err := sandbox.DeliveryBody("job.failed", at, json.RawMessage(`{"url":"https://a/b?x=1&y=<2>"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{"url":"https://a/b?x=1&y=<2>"}}`; string(b) != want {
		t.Errorf("DeliveryBody = %s, want %s", b, want)
	}
	if got := sandbox.RetryDelays(60); !slices.Equal(got, []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}) {
		t.Errorf("RetryDelays(60) = %v", got)
	}
}

// TestSampleData_typedPayloads decodes every sample into the typed
// payload of glossiwebhook and checks it is compact, realistic (no empty
// field) and fresh (new ids on each call).
func TestSampleData_typedPayloads(t *testing.T) {
	decode := map[glossiwebhook.EventType]func(*glossiwebhook.Event) (any, error){
		glossiwebhook.EventModelProcessed: func(e *glossiwebhook.Event) (any, error) {
			return glossiwebhook.DataAs[glossiwebhook.ModelProcessed](e)
		},
		glossiwebhook.EventModelFailed: func(e *glossiwebhook.Event) (any, error) { return glossiwebhook.DataAs[glossiwebhook.ModelFailed](e) },
		glossiwebhook.EventProjectCreated: func(e *glossiwebhook.Event) (any, error) {
			return glossiwebhook.DataAs[glossiwebhook.ProjectCreated](e)
		},
		glossiwebhook.EventJobComplete: func(e *glossiwebhook.Event) (any, error) { return glossiwebhook.DataAs[glossiwebhook.JobComplete](e) },
		glossiwebhook.EventJobFailed:   func(e *glossiwebhook.Event) (any, error) { return glossiwebhook.DataAs[glossiwebhook.JobFailed](e) },
		glossiwebhook.EventRenderComplete: func(e *glossiwebhook.Event) (any, error) {
			return glossiwebhook.DataAs[glossiwebhook.RenderComplete](e)
		},
		glossiwebhook.EventRenderFailed: func(e *glossiwebhook.Event) (any, error) { return glossiwebhook.DataAs[glossiwebhook.RenderFailed](e) },
	}
	for _, ev := range glossiwebhook.KnownEvents() {
		data, err := sandbox.SampleData(string(ev))
		if err != nil {
			t.Fatalf("SampleData(%s): %v", ev, err)
		}
		var compact bytes.Buffer
		if err = json.Compact(&compact, data); err != nil || compact.String() != string(data) {
			t.Errorf("SampleData(%s) is not compact JSON: %s", ev, data)
		}
		var fields map[string]any
		if err = json.Unmarshal(data, &fields); err != nil {
			t.Fatal(err)
		}
		for k, v := range fields {
			if v == "" || v == nil {
				t.Errorf("SampleData(%s): field %s is empty", ev, k)
			}
		}
		typed, err := decode[ev](&glossiwebhook.Event{Type: ev, Data: data})
		if err != nil {
			t.Fatalf("DataAs for %s: %v", ev, err)
		}
		again, _ := json.Marshal(typed)
		if !bytes.Equal(again, data) {
			t.Errorf("SampleData(%s) = %s, not the shape of its typed payload (%s)", ev, data, again)
		}
		if other, _ := sandbox.SampleData(string(ev)); bytes.Equal(other, data) {
			t.Errorf("SampleData(%s) returned the same ids twice", ev)
		}
	}
}

// Wait and WaitFirst give up when the caller's context ends before the delivery gets that far,
// as the trigger endpoint's do when its client goes away.
func TestDelivery_waitEndsWithTheCallersContext(t *testing.T) {
	rc := newReceiver(t)
	release := holdDeliveries(rc) // the first attempt gets no answer until the test ends
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{})
	d := mustTrigger(t, e.sb, "model.processed", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.WaitFirst(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitFirst = %v, want context.Canceled", err)
	}
	if err := d.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want context.Canceled", err)
	}
	release()
	waitDone(t, d)
}

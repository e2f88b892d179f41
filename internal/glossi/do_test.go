package glossi

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRetry_whichStatuses(t *testing.T) {
	tests := []struct {
		status int
		hits   int32
	}{
		{400, 1}, {401, 1}, {403, 1}, {404, 1}, {409, 1}, {422, 1}, {501, 1},
		{429, 3}, {500, 3}, {502, 3}, {503, 3}, {504, 3},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				reply(w, tt.status, `{"error":"Webhook not found"}`)
			})
			_, err := newTestClient(t, api.URL, nil).Get(context.Background())
			if !hasStatus(err, tt.status) {
				t.Fatalf("err = %v, want an *APIError %d", err, tt.status)
			}
			if n := api.hits.Load(); n != tt.hits {
				t.Errorf("hits = %d, want %d", n, tt.hits)
			}
		})
	}
}

func TestClient_retryWait(t *testing.T) {
	c := newTestClient(t, "https://api.example/api/v1", func(c *Config) {
		c.RetryWaitMin = 2 * time.Second
		c.RetryWaitMax = 4 * time.Second
	})
	answer := func(status int, retryAfter string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if retryAfter != "" {
			r.Header.Set("Retry-After", retryAfter)
		}
		return r
	}
	tests := []struct {
		name     string
		attempts int
		resp     *http.Response
		min, max time.Duration
		logged   string
	}{
		{"429 Retry-After", 1, answer(429, "7"), 7 * time.Second, 7 * time.Second, "7"},
		{"503 Retry-After", 1, answer(503, "9"), 9 * time.Second, 9 * time.Second, "9"},
		{"Retry-After capped", 1, answer(429, "3600"), MaxRetryAfter, MaxRetryAfter, "3600"},
		{"Retry-After floored", 1, answer(429, "0"), 2 * time.Second, 2 * time.Second, "0"},
		{"Retry-After ignored on 500", 1, answer(500, "30"), 2 * time.Second, 2 * time.Second, ""},
		{"unparsable Retry-After", 1, answer(429, "soon"), 2 * time.Second, 2 * time.Second, ""},
		{"no answer, first retry", 1, nil, 2 * time.Second, 2 * time.Second, ""},
		{"no answer, capped", 5, nil, 2 * time.Second, 4 * time.Second, ""},
	}
	for _, tt := range tests {
		wait, logged := c.retryWait(tt.attempts, tt.resp)
		if wait < tt.min || wait > tt.max || logged != tt.logged {
			t.Errorf("%s: retryWait = %s, %q; want within [%s, %s] and %q", tt.name, wait, logged, tt.min, tt.max, tt.logged)
		}
	}
}

func TestClient_reusesConnections(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{} // remote addresses: one per connection
	api := newFakeAPI(t, func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if n%2 == 1 {
			reply(w, 503, `{"error":"busy"}`)
			return
		}
		reply(w, 200, `{"id":"wh"}`)
	})
	c := newTestClient(t, api.URL, nil)
	for range 3 {
		if _, err := c.Get(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if hits := api.hits.Load(); len(conns) != 1 || hits != 6 {
		t.Errorf("%d requests over %d connections, want 6 over 1", hits, len(conns))
	}
}

func TestRedirect_putResendsBodyOnSameHost(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old/webhooks" {
			http.Redirect(w, r, "/api/v1/webhooks", http.StatusTemporaryRedirect)
			return
		}
		reply(w, 200, `{"id":"wh","url":"https://x","secret":"`+testSecret+`","events":["a"]}`)
	})
	logs := &logRecorder{}
	c := newTestClient(t, api.URL+"/old", func(c *Config) { c.Log = logs.log })
	if _, err := c.Put(context.Background(), WebhookInput{URL: "https://x", Events: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	reqs := api.requests()
	if len(reqs) != 2 || reqs[1].Method != http.MethodPut || string(reqs[1].Body) != string(reqs[0].Body) || len(reqs[1].Body) == 0 {
		t.Fatalf("requests = %+v, want the PUT and its body again after the 307", reqs)
	}
	entries := logs.all()
	if len(entries) != 1 || entries[0].fields["redirected_to"] != api.URL+"/api/v1/webhooks" {
		t.Errorf("log entries = %+v, want one naming the redirect", entries)
	}
}

// roundTripFunc is an http.RoundTripper in one function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRetry_transportGetsWholeBodyEachAttempt(t *testing.T) {
	var bodies []string
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, string(b))
		status, body := 500, `{"error":"boom"}`
		if len(bodies) == 3 {
			status, body = 200, `{"id":"wh","secret":"s"}`
		}
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}, nil // no Request, as a careless transport may
	})
	c := newTestClient(t, "https://api.example/api/v1", func(c *Config) { c.HTTPClient = &http.Client{Transport: transport} })
	if _, err := c.Put(context.Background(), WebhookInput{URL: "https://x", Events: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 || bodies[0] == "" || bodies[1] != bodies[0] || bodies[2] != bodies[0] {
		t.Errorf("bodies sent = %q, want the same non-empty body 3 times", bodies)
	}
}

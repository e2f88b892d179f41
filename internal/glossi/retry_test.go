package glossi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetry_503ThenSuccess(t *testing.T) {
	api := newFakeAPI(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			reply(w, 503, `{"error":"maintenance"}`)
			return
		}
		reply(w, 200, `{"id":"wh","url":"u"}`)
	})
	got, err := newTestClient(t, api.URL, nil).Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "wh" || api.hits.Load() != 3 {
		t.Errorf("got %+v after %d attempts, want wh after 3", got, api.hits.Load())
	}
}

func TestRetry_putResendsBody(t *testing.T) {
	api := newFakeAPI(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			reply(w, 500, "")
			return
		}
		reply(w, 200, `{"id":"wh","secret":"s"}`)
	})
	if _, err := newTestClient(t, api.URL, nil).Put(context.Background(), WebhookInput{URL: "https://x", Events: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	reqs := api.requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) || len(reqs[1].Body) == 0 {
		t.Errorf("bodies = %q", reqs)
	}
}

func TestRetry_429RetryAfterHonoured(t *testing.T) {
	for _, mk := range []func() string{
		func() string { return "1" },
		func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		// Timed from before the HTTP-date is made: it lies at least 1 s after start (2 s, cut to
		// the second), however long the server takes to start.
		start := time.Now()
		ra := mk()
		api := newFakeAPI(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", ra)
				reply(w, 429, `{"error":"slow down"}`)
				return
			}
			reply(w, 200, `{"id":"wh"}`)
		})
		if _, err := newTestClient(t, api.URL, nil).Get(context.Background()); err != nil {
			t.Fatal(err)
		}
		// RetryWaitMax is 10ms, so only Retry-After explains a wait near 1s.
		// (An HTTP-date has one-second resolution, hence the same bound.)
		if d := time.Since(start); d < 950*time.Millisecond {
			t.Errorf("Retry-After %q: waited %s, want >= ~1s", ra, d)
		}
		if n := api.hits.Load(); n != 2 {
			t.Errorf("attempts = %d, want 2", n)
		}
	}
}

func TestRetry_persistent500(t *testing.T) {
	for _, retries := range []int{0, 1, 3} {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 500, `{"error":"boom"}`) })
		_, err := newTestClient(t, api.URL, func(c *Config) { c.MaxRetries = retries }).Get(context.Background())
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != 500 || ae.Message != "boom" {
			t.Fatalf("retries %d: err = %v", retries, err)
		}
		if n := int(api.hits.Load()); n != retries+1 || ae.Attempts != retries+1 {
			t.Errorf("retries %d: hits %d, Attempts %d", retries, n, ae.Attempts)
		}
		want := "GET /webhooks: 500 Internal Server Error: boom"
		if retries > 0 {
			want += " (after " + string(rune('0'+retries+1)) + " attempts)"
		}
		if err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
	}
}

func TestRetry_negativeMaxRetries(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 503, "") })
	_, err := newTestClient(t, api.URL, func(c *Config) { c.MaxRetries = -3 }).Get(context.Background())
	if err == nil || api.hits.Load() != 1 {
		t.Errorf("err = %v, hits = %d, want 1", err, api.hits.Load())
	}
}

func TestRetry_connectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	logs := &logRecorder{}
	c := newTestClient(t, "http://"+addr+"/api/v1", func(c *Config) { c.Log = logs.log })
	_, err = c.Get(context.Background())
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"GET /webhooks: request to " + addr + " failed after 3 attempts", "refused"} {
		if !strings.Contains(msg, want) {
			t.Errorf("err = %q, want it to contain %q", msg, want)
		}
	}
	if strings.Contains(msg, testKey) {
		t.Errorf("error leaks the key: %q", msg)
	}
	attempts, waits := logs.count("Glossi API request failed"), logs.count("Waiting before retrying Glossi API request")
	if attempts != 3 || waits != 2 {
		t.Errorf("logged %d attempts and %d waits, want 3 and 2", attempts, waits)
	}
}

func TestRetry_attemptTimeout(t *testing.T) {
	t.Run("then success", func(t *testing.T) {
		api := newFakeAPI(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				select {
				case <-time.After(20 * time.Second):
				case <-r.Context().Done():
				}
				return
			}
			reply(w, 200, `{"id":"wh"}`)
		})
		// The second attempt must be answered within the attempt timeout: 1s,
		// not 100ms, which a loaded machine under -race can miss.
		c := newTestClient(t, api.URL, func(c *Config) { c.RequestTimeout = time.Second })
		start := time.Now()
		if _, err := c.Get(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, d := api.hits.Load(), time.Since(start); n != 2 || d > 10*time.Second {
			t.Errorf("hits = %d after %s, want 2 well before the first attempt's 20s", n, d)
		}
	})
	t.Run("slow body", func(t *testing.T) {
		api := newFakeAPI(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"id":`))
			if err := http.NewResponseController(w).Flush(); err != nil {
				t.Errorf("flush: %v", err)
			}
			<-r.Context().Done() // the rest never comes: only the attempt timeout ends the attempt
		})
		c := newTestClient(t, api.URL, func(c *Config) { c.RequestTimeout = 100 * time.Millisecond; c.MaxRetries = 1 })
		_, err := c.Get(context.Background())
		if err == nil || !strings.Contains(err.Error(), "failed after 2 attempts: attempt timed out after 100ms") {
			t.Errorf("err = %v", err)
		}
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err is not a net.Error timeout: %#v", err)
		}
	})
}

func TestRetry_callerCancelStops(t *testing.T) {
	t.Run("during attempt", func(t *testing.T) {
		arrived := make(chan struct{}, 1)
		api := newFakeAPI(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
			arrived <- struct{}{}
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		start := time.Now()
		c := newTestClient(t, api.URL, func(c *Config) { c.MaxRetries = 5 })
		_, err := c.Get(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		// Without the cancel the attempt would end at its timeout: well under it shows the
		// cancel ended it, however loaded the machine.
		if d := time.Since(start); d > c.timeout/2 {
			t.Errorf("returned after %s, want well under the attempt timeout of %s", d, c.timeout)
		}
		if n := api.hits.Load(); n != 1 {
			t.Errorf("hits = %d, want 1", n)
		}
	})
	t.Run("during wait", func(t *testing.T) {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "30")
			reply(w, 503, `{"error":"maintenance"}`)
		})
		// The caller's deadline passes while the client waits the 30 s the 503 asked for,
		// after the first answer however long that takes.
		ctx := newDeadlineContext()
		start := time.Now()
		_, err := newTestClient(t, api.URL, func(c *Config) {
			c.Log = func(_ context.Context, msg string, _ map[string]any) {
				if msg == "Waiting before retrying Glossi API request" {
					ctx.expire()
				}
			}
		}).Get(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("returned after %s", d)
		}
		if n := api.hits.Load(); n != 1 {
			t.Errorf("hits = %d, want 1", n)
		}
		if want := "GET /webhooks: context deadline exceeded (after 1 attempt, last response: 503 Service Unavailable)"; !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to contain %q", err, want)
		}
	})
	t.Run("already canceled", func(t *testing.T) {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{"id":"wh"}`) })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := newTestClient(t, api.URL, nil).Get(ctx)
		if !errors.Is(err, context.Canceled) || api.hits.Load() != 0 {
			t.Errorf("err = %v, hits = %d", err, api.hits.Load())
		}
	})
}

func TestRetry_bodyTooLarge(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"id":"` + strings.Repeat("a", MaxResponseBytes) + `"}`))
	})
	_, err := newTestClient(t, api.URL, nil).Get(context.Background())
	if err == nil || !strings.Contains(err.Error(), "response body larger than") || api.hits.Load() != 1 {
		t.Errorf("err = %v, hits = %d", err, api.hits.Load())
	}
}

func TestRedirect_keepsKeyOnHost(t *testing.T) {
	other := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{"id":"stolen"}`) })
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old/webhooks" {
			http.Redirect(w, r, "/api/v1/webhooks", http.StatusTemporaryRedirect)
			return
		}
		if r.URL.Path == "/leak/webhooks" {
			http.Redirect(w, r, other.URL+"/webhooks", http.StatusFound)
			return
		}
		reply(w, 200, `{"id":"wh"}`)
	})
	got, err := newTestClient(t, api.URL+"/old", nil).Get(context.Background())
	if err != nil || got.ID != "wh" {
		t.Fatalf("same-host redirect: %v %+v", err, got)
	}
	_, err = newTestClient(t, api.URL+"/leak", nil).Get(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusFound {
		t.Errorf("cross-host redirect: err = %v, want *APIError 302", err)
	}
	if n := other.hits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

func TestJitteredBackoff(t *testing.T) {
	minW, maxW := 100*time.Millisecond, time.Second
	for n := range 70 {
		for range 50 {
			d := jitteredBackoff(minW, maxW, n)
			if d < minW || d > maxW {
				t.Fatalf("n=%d: %s outside [%s, %s]", n, d, minW, maxW)
			}
			if exp := minW << n; n < 4 && d > exp {
				t.Fatalf("n=%d: %s above %s", n, d, exp)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"99999999999999", MaxRetryAfter, true},
		{"soon", 0, false},
		{"Wed, 15 Jan 2025 10:30:20 GMT", 20 * time.Second, true},
		{"Wed, 15 Jan 2025 10:29:00 GMT", 0, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

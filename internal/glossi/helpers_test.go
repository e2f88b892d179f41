package glossi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testKey    = "glsk_test_0123456789abcdef"
	testSecret = "whsec_very_secret_value_42"
)

// fakeAPI is an httptest server that counts requests and answers with fn.
type fakeAPI struct {
	*httptest.Server
	hits atomic.Int32
	mu   sync.Mutex
	reqs []recorded
}

// recorded is a copy of one request received by fakeAPI.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// requests returns a copy of the requests received so far.
func (f *fakeAPI) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func newFakeAPI(t *testing.T, fn func(n int, w http.ResponseWriter, r *http.Request)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(f.hits.Add(1))
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: b})
		f.mu.Unlock()
		fn(n, w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// reply answers with status and a raw body (no body when body == "").
func reply(w http.ResponseWriter, status int, body string) {
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprint(w, body)
}

// logRecorder captures every LogFunc call.
type logRecorder struct {
	mu      sync.Mutex
	entries []logEntry
}

type logEntry struct {
	msg    string
	fields map[string]any
}

func (l *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{msg, fields})
}

func (l *logRecorder) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// count returns how many entries have the message msg.
func (l *logRecorder) count(msg string) int {
	n := 0
	for _, e := range l.all() {
		if e.msg == msg {
			n++
		}
	}
	return n
}

// newTestClient builds a fast-retrying client for baseURL.
func newTestClient(t *testing.T, baseURL string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:        baseURL,
		APIKey:         testKey,
		UserAgent:      "glossi-test/1.0",
		MaxRetries:     2,
		RequestTimeout: 5 * time.Second,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   10 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// deadlineContext is a caller's context whose deadline passes when the test calls expire, at a
// point of the call the test chooses rather than one the machine's load decides.
type deadlineContext struct {
	context.Context
	done   chan struct{}
	expire func()
}

func newDeadlineContext() *deadlineContext {
	done := make(chan struct{})
	return &deadlineContext{Context: context.Background(), done: done, expire: sync.OnceFunc(func() { close(done) })}
}

func (c *deadlineContext) Done() <-chan struct{} { return c.done }

func (c *deadlineContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

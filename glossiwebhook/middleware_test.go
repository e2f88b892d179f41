package glossiwebhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// recordingHandler records the requests it gets and answers status.
type recordingHandler struct {
	t      *testing.T
	calls  int
	status int
	event  *Event
	body   []byte
}

func (h *recordingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.calls++
	ev, ok := EventFromContext(r.Context())
	if !ok {
		h.t.Error("no event in the context")
	}
	h.event = ev
	var err error
	h.body, err = io.ReadAll(r.Body)
	if err != nil {
		h.t.Error(err)
	}
	if h.status != 0 {
		w.WriteHeader(h.status)
	}
	_, _ = io.WriteString(w, "handled")
}

func TestMiddleware(t *testing.T) {
	body := seedBody()
	sig := Sign(body, testSecret)
	stale := deliveryBody("job.failed", "2020-01-01T00:00:00Z", `{}`)
	notJSON := []byte("event=model.processed")
	big := deliveryBody("job.failed", testTS, `{"error":"`+strings.Repeat("x", 2048)+`"}`)

	tests := []struct {
		name       string
		method     string
		body       []byte
		sig        string // "-" for no header
		wantStatus int
		wantCalled bool
		wantText   string
	}{
		{name: "valid", method: "POST", body: body, sig: sig, wantStatus: 200, wantCalled: true, wantText: "handled"},
		{name: "valid uppercase", method: "POST", body: body, sig: strings.ToUpper(sig), wantStatus: 200, wantCalled: true},
		{name: "GET", method: "GET", body: nil, sig: sig, wantStatus: 405, wantText: "method not allowed"},
		{name: "PUT", method: "PUT", body: body, sig: sig, wantStatus: 405},
		{name: "HEAD", method: "HEAD", body: nil, sig: sig, wantStatus: 405},
		{name: "too large", method: "POST", body: big, sig: Sign(big, testSecret), wantStatus: 413, wantText: "request body too large"},
		{name: "missing signature", method: "POST", body: body, sig: "-", wantStatus: 401, wantText: "missing signature"},
		{name: "empty signature", method: "POST", body: body, sig: "", wantStatus: 401},
		{name: "malformed signature", method: "POST", body: body, sig: "sha256=" + sig, wantStatus: 401, wantText: "invalid signature"},
		{name: "wrong signature", method: "POST", body: body, sig: Sign(body, "other"), wantStatus: 401, wantText: "invalid signature"},
		{name: "stale", method: "POST", body: stale, sig: Sign(stale, testSecret), wantStatus: 401, wantText: "timestamp out of range"},
		{name: "signed but not json", method: "POST", body: notJSON, sig: Sign(notJSON, testSecret), wantStatus: 400, wantText: "invalid payload"},
		{name: "unsigned and not json", method: "POST", body: notJSON, sig: Sign(notJSON, "x"), wantStatus: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, WithMaxBodyBytes(1024))
			next := &recordingHandler{t: t}
			r := httptest.NewRequest(tt.method, "/webhooks/glossi", bytes.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json")
			if tt.sig != "-" {
				r.Header.Set(SignatureHeader, tt.sig)
			}
			w := httptest.NewRecorder()
			v.Middleware(next).ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", w.Code, tt.wantStatus, w.Body)
			}
			if (next.calls == 1) != tt.wantCalled || next.calls > 1 {
				t.Fatalf("next called %d times", next.calls)
			}
			text := w.Body.String()
			if tt.wantText != "" && strings.TrimSpace(text) != tt.wantText {
				t.Fatalf("body = %q, want %q", text, tt.wantText)
			}
			if tt.wantStatus == 405 && w.Header().Get("Allow") != "POST" {
				t.Fatalf("Allow = %q", w.Header().Get("Allow"))
			}
			if !tt.wantCalled {
				if len(text) > 64 {
					t.Fatalf("response body is long: %q", text)
				}
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Fatalf("Content-Type = %q", ct)
				}
			}
			all := text
			for k, vs := range w.Header() {
				all += k + strings.Join(vs, ",")
			}
			assertNoLeak(t, "response", all, tt.body, testSecret)
			if tt.wantCalled {
				if !bytes.Equal(next.body, tt.body) {
					t.Fatalf("next read %q, want the raw body", next.body)
				}
				if next.event == nil || !bytes.Equal(next.event.Raw, tt.body) {
					t.Fatalf("event = %+v", next.event)
				}
			}
		})
	}
}

func TestMiddleware_flushAndController(t *testing.T) {
	v := newTestVerifier(t)
	body := seedBody()
	h := v.Middleware(Deduplicate(NewMemoryDeduper(16), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Fatal("not a Flusher")
		}
		f.Flush()
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Error(err)
		}
	})))
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set(SignatureHeader, Sign(body, testSecret))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !w.Flushed || w.Code != 200 {
		t.Fatalf("flushed %v, code %d", w.Flushed, w.Code)
	}
}

func TestMiddleware_errorHandler(t *testing.T) {
	var got []error
	v := newTestVerifier(t, WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
		got = append(got, err)
		http.Error(w, "nope", HTTPStatus(err))
	}))
	h := v.Middleware(http.NotFoundHandler())
	body := seedBody()
	for _, sig := range []string{"bad", Sign(body, "other")} {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set(SignatureHeader, sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 401 || strings.TrimSpace(w.Body.String()) != "nope" {
			t.Fatalf("%d %q", w.Code, w.Body)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 405 || w.Header().Get("Allow") != "POST" {
		t.Fatalf("GET: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
	if len(got) != 3 || !errors.Is(got[0], ErrMalformedSignature) || !errors.Is(got[1], ErrSignatureMismatch) || !errors.Is(got[2], errMethodNotAllowed) {
		t.Fatalf("errors = %v", got)
	}
	for _, err := range got {
		assertNoLeak(t, "error", err.Error(), body, testSecret)
	}
}

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 200},
		{errMethodNotAllowed, 405},
		{fmt.Errorf("reading: %w", os.ErrDeadlineExceeded), 408},
		{ErrBodyTooLarge, 413},
		{ErrMissingSignature, 401},
		{ErrMalformedSignature, 401},
		{ErrSignatureMismatch, 401},
		{ErrTimestampOutOfRange, 401},
		{ErrInvalidPayload, 400},
		{ErrInvalidSecret, 400},
		{errors.New("other"), 400},
	}
	for _, tt := range tests {
		if got := HTTPStatus(tt.err); got != tt.want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", tt.err, got, tt.want)
		}
		if tt.err != nil {
			wrapped := errors.Join(errors.New("context"), tt.err)
			if got := HTTPStatus(wrapped); got != tt.want {
				t.Errorf("HTTPStatus(wrapped %v) = %d, want %d", tt.err, got, tt.want)
			}
		}
	}
}

func TestEventFromContext(t *testing.T) {
	if _, ok := EventFromContext(context.Background()); ok {
		t.Fatal("event in an empty context")
	}
	if _, ok := EventFromContext(context.WithValue(context.Background(), contextKey{}, (*Event)(nil))); ok {
		t.Fatal("nil event reported")
	}
}

// A verified probe is answered by Middleware itself: neither the handler nor
// the Deduper sees it. A probe with a bad signature is refused like any
// other delivery.
func TestMiddleware_probe(t *testing.T) {
	probe := deliveryBody(string(EventProbe), testTS, `{}`)
	stale := deliveryBody(string(EventProbe), "2020-01-01T00:00:00Z", `{}`)
	tests := []struct {
		name     string
		body     []byte
		sig      string
		want     int
		wantText string
	}{
		{"signed", probe, Sign(probe, testSecret), 200, "probe ok"},
		{"forged", probe, Sign(probe, "guessed"), 401, "invalid signature"},
		{"stale", stale, Sign(stale, testSecret), 401, "timestamp out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &recordingHandler{t: t}
			d := &fixedDeduper{err: errors.New("the deduper was asked")}
			h := newTestVerifier(t).Middleware(Deduplicate(d, next))
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(tt.body))
			r.Header.Set(SignatureHeader, tt.sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.want || strings.TrimSpace(w.Body.String()) != tt.wantText || next.calls != 0 {
				t.Fatalf("status %d %q, handler called %d times; want %d %q and no call", w.Code, w.Body, next.calls, tt.want, tt.wantText)
			}
		})
	}
}

// A delivery through Middleware and Deduplicate costs at most 8
// allocations, whatever its size (see BenchmarkReceiver).
func TestMiddleware_allocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	v := newTestVerifier(t)
	for _, size := range []int{64, 1 << 10, 64 << 10} {
		body := benchBody(size)
		h := v.Middleware(Deduplicate(NewMemoryDeduper(0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
		}), WithDedupTTL(time.Nanosecond)))
		r, _ := http.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set(SignatureHeader, Sign(body, testSecret))
		r.ContentLength = int64(len(body))
		rb := &resetBody{}
		w := &discardWriter{h: http.Header{}}
		allocs := testing.AllocsPerRun(100, func() {
			rb.Reset(body)
			r.Body = rb
			h.ServeHTTP(w, r)
		})
		if w.code != 0 && w.code != 200 {
			t.Fatalf("%d bytes: status %d", size, w.code)
		}
		if allocs > 8 {
			t.Errorf("%d bytes: %.0f allocations per delivery, want at most 8", size, allocs)
		}
	}
}

// A body that cannot be read is answered 400 with a fixed text: nothing of the read error
// (addresses, whatever the transport says) goes back to the sender.
func TestMiddleware_unreadableBodyAnsweredWithoutDetail(t *testing.T) {
	next := &recordingHandler{t: t}
	r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", nil)
	r.Body = errBody{}
	r.Header.Set(SignatureHeader, Sign(seedBody(), testSecret))
	w := httptest.NewRecorder()
	newTestVerifier(t).Middleware(next).ServeHTTP(w, r)
	if got := strings.TrimSpace(w.Body.String()); w.Code != http.StatusBadRequest || got != "bad request" || next.calls != 0 {
		t.Errorf("answer %d %q, handler called %d times; want 400 \"bad request\" and no call", w.Code, got, next.calls)
	}
}

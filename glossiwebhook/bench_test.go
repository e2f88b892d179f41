package glossiwebhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

var benchSizes = []struct {
	name string
	n    int
}{
	{"size=64B", 64},
	{"size=1KiB", 1 << 10},
	{"size=64KiB", 64 << 10},
}

// benchBody returns a valid delivery of about n bytes (exactly n when n is
// at least the smallest delivery).
func benchBody(n int) []byte {
	head := `{"event":"x","timestamp":"` + testTS + `","data":"`
	tail := `"}`
	pad := max(n-len(head)-len(tail), 0)
	return []byte(head + strings.Repeat("a", pad) + tail)
}

// BenchmarkVerify compares Verify with the verifier most people write: a
// new hmac.New per call, hex.DecodeString and hmac.Equal. Compare them with
// benchstat -col /impl.
func BenchmarkVerify(b *testing.B) {
	v, err := NewVerifier(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	key := []byte(testSecret)
	impls := []struct {
		name   string
		verify func(body []byte, sig string) bool
	}{
		{"Verify", func(body []byte, sig string) bool { return v.Verify(body, sig) == nil }},
		{"hmacNewPerCall", func(body []byte, sig string) bool {
			m := hmac.New(sha256.New, key)
			m.Write(body)
			want, err := hex.DecodeString(sig)
			return err == nil && hmac.Equal(m.Sum(nil), want)
		}},
	}
	for _, s := range benchSizes {
		body := benchBody(s.n)
		sig := Sign(body, testSecret)
		for _, impl := range impls {
			b.Run(s.name+"/impl="+impl.name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if !impl.verify(body, sig) {
						b.Fatal("verify failed")
					}
				}
			})
		}
	}
}

// BenchmarkBaselinePooledHMAC is the best hand-written verifier: a sync.Pool
// of keyed HMACs, Reset/Write/Sum into a buffer, hex decode into a stack
// array, hmac.Equal. Verify is measured against it.
func BenchmarkBaselinePooledHMAC(b *testing.B) {
	key := []byte(testSecret)
	type state struct {
		h   hash.Hash
		sum [sha256.Size]byte
	}
	pool := sync.Pool{New: func() any { return &state{h: hmac.New(sha256.New, key)} }}
	for _, s := range benchSizes {
		body := benchBody(s.n)
		sig := []byte(Sign(body, testSecret))
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var want [sha256.Size]byte
				if _, err := hex.Decode(want[:], sig); err != nil {
					b.Fatal(err)
				}
				st, ok := pool.Get().(*state)
				if !ok {
					st = &state{h: hmac.New(sha256.New, key)}
				}
				st.h.Reset()
				st.h.Write(body)
				st.h.Sum(st.sum[:0])
				equal := hmac.Equal(st.sum[:], want[:])
				pool.Put(st)
				if !equal {
					b.Fatal("verify failed")
				}
			}
		})
	}
}

// discardWriter is a minimal http.ResponseWriter.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// SetReadDeadline succeeds, as on a server's connection.
func (*discardWriter) SetReadDeadline(time.Time) error { return nil }

type resetBody struct{ bytes.Reader }

func (*resetBody) Close() error { return nil }

// BenchmarkReceiver compares a full delivery through Middleware and
// Deduplicate (bounded read, Verify, envelope, timestamp, context, claim,
// done, and a handler that reads the body again) with Middleware alone and
// with the least a receiver must do: read the body and Verify it. Compare
// them with benchstat -col /impl. The deduper's TTL is 1 ns so that each iteration is a new delivery
// (claimed, handled, marked done) rather than a duplicate.
func BenchmarkReceiver(b *testing.B) {
	v, err := NewVerifier(testSecret, WithClock(fixedClock))
	if err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		wrap func(http.Handler) http.Handler
	}{
		{"readAndVerify", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, err := io.ReadAll(r.Body)
				if err != nil || v.Verify(body, r.Header.Get(SignatureHeader)) != nil {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				next.ServeHTTP(w, r)
			})
		}},
		{"Middleware", v.Middleware},
		{"Middleware+Deduplicate", func(next http.Handler) http.Handler {
			return v.Middleware(Deduplicate(NewMemoryDeduper(0), next, WithDedupTTL(time.Nanosecond)))
		}},
	}
	for _, s := range benchSizes {
		body := benchBody(s.n)
		for _, impl := range impls {
			b.Run(s.name+"/impl="+impl.name, func(b *testing.B) { benchDelivery(b, body, impl.wrap) })
		}
	}
}

func benchDelivery(b *testing.B, body []byte, wrap func(http.Handler) http.Handler) {
	var read int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		read = int(n)
	})
	h := wrap(next)
	rb := &resetBody{}
	r, _ := http.NewRequest(http.MethodPost, "/webhooks/glossi", nil)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(SignatureHeader, Sign(body, testSecret))
	r.ContentLength = int64(len(body))
	w := &discardWriter{h: http.Header{}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	defer reportCPUTime(b)()
	for b.Loop() {
		rb.Reset(body)
		r.Body = rb
		w.code = 0
		read = 0
		h.ServeHTTP(w, r)
		if read != len(body) || (w.code != 0 && w.code != 200) {
			b.Fatalf("handler read %d bytes, status %d", read, w.code)
		}
	}
}

// reportCPUTime reports the process's CPU time (user and system) per
// iteration as cpu-ns/op, when the returned function runs after the loop.
// On a machine shared with other work it varies less than sec/op, which
// also counts the time the benchmark waits for a CPU.
func reportCPUTime(b *testing.B) func() {
	start, ok := cpuTime()
	return func() {
		if end, _ := cpuTime(); ok && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

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

func BenchmarkVerify(b *testing.B) {
	v, err := NewVerifier(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchSizes {
		body := benchBody(s.n)
		sig := Sign(body, testSecret)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if v.Verify(body, sig) != nil {
					b.Fatal("verify failed")
				}
			}
		})
	}
}

// BenchmarkBaselineHandHMAC is the bare minimum written by hand per call:
// hmac.New, Write, Sum, hex decode, hmac.Equal.
func BenchmarkBaselineHandHMAC(b *testing.B) {
	key := []byte(testSecret)
	for _, s := range benchSizes {
		body := benchBody(s.n)
		sig := Sign(body, testSecret)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				m := hmac.New(sha256.New, key)
				m.Write(body)
				got := m.Sum(nil)
				want, err := hex.DecodeString(sig)
				if err != nil || !hmac.Equal(got, want) {
					b.Fatal("verify failed")
				}
			}
		})
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

type resetBody struct{ bytes.Reader }

func (*resetBody) Close() error { return nil }

func benchHandler(b *testing.B, wrap func(http.Handler) http.Handler) {
	for _, s := range benchSizes {
		body := benchBody(s.n)
		b.Run(s.name, func(b *testing.B) {
			var read int
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, _ := io.ReadAll(r.Body)
				read = len(p)
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
			for b.Loop() {
				rb.Reset(body)
				r.Body = rb
				w.code = 0
				h.ServeHTTP(w, r)
				if read != len(body) || (w.code != 0 && w.code != 200) {
					b.Fatalf("handler read %d bytes, status %d", read, w.code)
				}
			}
		})
	}
}

// BenchmarkMiddleware measures a full delivery through Middleware: bounded
// read, Verify, JSON decode, timestamp check, context, and a next handler
// that reads the body again.
func BenchmarkMiddleware(b *testing.B) {
	v, err := NewVerifier(testSecret, WithClock(fixedClock))
	if err != nil {
		b.Fatal(err)
	}
	benchHandler(b, v.Middleware)
}

// BenchmarkBareHandler is the same handler without verification: it only
// reads the body.
func BenchmarkBareHandler(b *testing.B) {
	benchHandler(b, func(h http.Handler) http.Handler { return h })
}

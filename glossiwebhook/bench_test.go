package glossiwebhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
// them with benchstat -col /impl. Every iteration is a new delivery (its
// own body and signature), and the deduper runs with Deduplicate's default
// lease and TTL at a steady live set of receiverLive deliveries: its clock
// moves on by TTL/receiverLive at each delivery, so that deliveries expire
// as fast as they come.
func BenchmarkReceiver(b *testing.B) {
	v, err := NewVerifier(testSecret, WithClock(fixedClock))
	if err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name string
		wrap func(next http.Handler, ds *benchDeliveries, clock *steadyClock) http.Handler
	}{
		{"readAndVerify", func(next http.Handler, _ *benchDeliveries, _ *steadyClock) http.Handler {
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
		{"Middleware", func(next http.Handler, _ *benchDeliveries, _ *steadyClock) http.Handler { return v.Middleware(next) }},
		{"Middleware+Deduplicate", func(next http.Handler, ds *benchDeliveries, clock *steadyClock) http.Handler {
			d, _ := NewMemoryDeduper(2 * receiverLive).(*memoryDeduper)
			d.elapsed = clock.elapsed
			ds.prefill(d, clock)
			return v.Middleware(Deduplicate(d, next))
		}},
	}
	for _, s := range benchSizes {
		var ds *benchDeliveries // signed on first use: 64 KiB ones take seconds
		for _, impl := range impls {
			b.Run(s.name+"/impl="+impl.name, func(b *testing.B) {
				if ds == nil {
					ds = newBenchDeliveries(s.n, 2*receiverLive)
				}
				clock := newSteadyClock(receiverLive)
				benchDelivery(b, ds, clock, impl.wrap(readBody(&ds.read), ds, clock))
			})
		}
	}
}

// receiverLive is the live set of BenchmarkReceiver's deduper.
const receiverLive = 100_000

// benchDeliveries is a ring of distinct deliveries of one size: one body,
// rewritten in place for each (its timestamp's minutes, seconds and
// milliseconds count them, within the Verifier's window), and their
// signatures, computed once.
type benchDeliveries struct {
	body []byte
	at   int // index of the timestamp's "30:00.000" in body
	sigs []string
	read int // bytes the handler read from the last delivery
}

func newBenchDeliveries(size, count int) *benchDeliveries {
	ds := &benchDeliveries{body: benchBody(size), sigs: make([]string, count)}
	ds.at = bytes.Index(ds.body, []byte("30:00.000"))
	for i := range ds.sigs {
		ds.sigs[i] = Sign(ds.delivery(i), testSecret)
	}
	return ds
}

// delivery rewrites the body as delivery i and returns it.
func (ds *benchDeliveries) delivery(i int) []byte {
	i %= len(ds.sigs)
	_ = fmt.Appendf(ds.body[ds.at:ds.at], "%02d:%02d.%03d", i/60_000%30, i/1000%60, i%1000) // in place
	return ds.body
}

// prefill hands d the done marks of the live set before delivery 0, as if
// they came at the pace of clock, and leaves the clock at delivery 0.
func (ds *benchDeliveries) prefill(d Deduper, clock *steadyClock) {
	ctx := context.Background()
	for i := len(ds.sigs) - receiverLive; i < len(ds.sigs); i++ {
		clock.tick()
		key := ds.sigs[i] // Sign's lowercase hex is the delivery's DedupKey
		_, token, _ := d.Claim(ctx, key, benchLease)
		_ = d.Done(ctx, key, token, benchTTL)
	}
}

// readBody is the handler of BenchmarkReceiver: it reads the body again.
func readBody(read *int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		*read = int(n)
	})
}

func benchDelivery(b *testing.B, ds *benchDeliveries, clock *steadyClock, h http.Handler) {
	rb := &resetBody{}
	r, _ := http.NewRequest(http.MethodPost, "/webhooks/glossi", nil)
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = int64(len(ds.body))
	w := &discardWriter{h: http.Header{}}
	b.SetBytes(int64(len(ds.body)))
	b.ReportAllocs()
	defer reportCPUTime(b)()
	i := 0
	for b.Loop() {
		clock.tick()
		rb.Reset(ds.delivery(i))
		r.Header[SignatureHeader] = []string{ds.sigs[i%len(ds.sigs)]}
		i++
		r.Body = rb
		w.code = 0
		ds.read = 0
		h.ServeHTTP(w, r)
		if ds.read != len(ds.body) || (w.code != 0 && w.code != 200) {
			b.Fatalf("handler read %d bytes, status %d", ds.read, w.code)
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

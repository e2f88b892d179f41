package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// bigPut is a valid PUT body of about 60 KB, as in the measurement that found the log growing.
var bigPut = `{"url":"https://example.com/h","events":["job.failed"],"description":"` + strings.Repeat("x", 60_000) + `"}`

// bulkKey is the account of the big PUTs, so that the GETs of the default account stay small.
const bulkKey = "bulk-key"

func serve(sb *sandbox.Sandbox, method, body string) int {
	key := sandbox.DefaultAPIKey
	if len(body) > sandbox.MaxLoggedBodyBytes {
		key = bulkKey
	}
	req := httptest.NewRequest(method, sandbox.WebhooksPath, strings.NewReader(body))
	req.Header.Set(sandbox.APIKeyHeader, key)
	rec := httptest.NewRecorder()
	sb.ServeHTTP(rec, req)
	return rec.Code
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Over 100,000 requests (one in fifty a 60 KB PUT) the sandbox stays flat: the log is a ring with
// capped bodies, so the heap does not grow once it is full and a request costs the same at the
// end as at the start.
func TestRequestLog_flatOver100kRequests(t *testing.T) {
	sb := sandbox.New(sandbox.Options{APIKeys: []string{sandbox.DefaultAPIKey, bulkKey}})
	serve(sb, http.MethodPut, `{"url":"https://example.com/h","events":["job.failed"]}`)
	const total, window = 100_000, 10_000
	// Time per request is BenchmarkServeHTTP_GET's to measure; a test compares what does not
	// depend on the machine's load: allocations per request and the heap.
	var allocsFull float64
	var heapFull uint64
	for i := range total {
		method, body := http.MethodGet, ""
		if i%50 == 0 {
			method, body = http.MethodPut, bigPut
		}
		if code := serve(sb, method, body); code != http.StatusOK {
			t.Fatalf("request %d: status %d", i, code)
		}
		if i == 2*window {
			allocsFull = meanAllocsPerGET(sb)
			heapFull = heapAfterGC()
		}
	}
	allocsEnd := meanAllocsPerGET(sb)
	heapEnd := heapAfterGC()
	t.Logf("allocations per GET at %d requests %.2f, at %d %.2f; heap %d KiB, then %d KiB",
		2*window, allocsFull, total, allocsEnd, heapFull>>10, heapEnd>>10)
	if n := len(sb.Requests()); n != 10000 {
		t.Errorf("the log holds %d entries, want 10000", n)
	}
	if heapEnd > heapFull+8<<20 {
		t.Errorf("the heap grew from %d KiB to %d KiB between %d and %d requests", heapFull>>10, heapEnd>>10, 2*window, total)
	}
	// The race detector makes sync.Pool drop a random share of what is put back (encoding/json
	// and net/http pool their buffers), which moves a GET's allocations by a fraction of one
	// on average over allocsSampleGETs: one whole allocation more is a cost that grew.
	if allocsEnd > allocsFull+1 {
		t.Errorf("a GET allocates %.2f times after %d requests, %.2f after %d: the log's cost grows", allocsEnd, total, allocsFull, 2*window)
	}
}

// allocsSampleGETs is how many GETs meanAllocsPerGET averages over.
const allocsSampleGETs = 2000

// meanAllocsPerGET is the mean number of heap allocations of a GET, unrounded (testing.AllocsPerRun
// rounds down, so a mean near a whole number flips between two counts).
func meanAllocsPerGET(sb *sandbox.Sandbox) float64 {
	serve(sb, http.MethodGet, "") // warm up, as AllocsPerRun does
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range allocsSampleGETs {
		serve(sb, http.MethodGet, "")
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / allocsSampleGETs
}

// BenchmarkServeHTTP_GET measures a GET with an empty log and with a full one (10,000 entries):
// with a ring both cost the same.
func BenchmarkServeHTTP_GET(b *testing.B) {
	for _, prefill := range []int{0, 10_000} {
		b.Run(map[int]string{0: "empty log", 10_000: "full log"}[prefill], func(b *testing.B) {
			sb := sandbox.New(sandbox.Options{})
			serve(sb, http.MethodPut, `{"url":"https://example.com/h","events":["job.failed"]}`)
			for range prefill {
				serve(sb, http.MethodGet, "")
			}
			b.ReportAllocs()
			for b.Loop() {
				serve(sb, http.MethodGet, "")
			}
		})
	}
}

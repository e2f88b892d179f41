package redisdedup_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// A handler that outlives its lease and then fails must not free the
// delivery that a second copy claimed since: run 1 outlives its lease, run 2
// claims, run 1 fails (Release), and copy 3, arriving while run 2 works, gets
// 409. The handler runs twice, never three times. Both Dedupers: one
// process in memory, and Redis (every copy through the same Deduper, the
// case a per-process token got wrong).
func TestDeduplicate_lateFailureKeepsTheNewerClaim(t *testing.T) {
	for name, newDeduper := range map[string]func(t *testing.T) glossiwebhook.Deduper{
		"memory": func(*testing.T) glossiwebhook.Deduper { return glossiwebhook.NewMemoryDeduper(0) },
		"redis": func(t *testing.T) glossiwebhook.Deduper {
			return redisdedup.New(redistest.Start(t).Client(t), "")
		},
	} {
		t.Run(name, func(t *testing.T) { lateFailureKeepsTheNewerClaim(t, newDeduper(t)) })
	}
}

func lateFailureKeepsTheNewerClaim(t *testing.T, d glossiwebhook.Deduper) {
	const lease = 200 * time.Millisecond
	var runs atomic.Int32
	entered := make(chan int32, 3)
	finish := [2]chan int{make(chan int), make(chan int)} // the status each run answers
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		run := runs.Add(1)
		entered <- run
		status, ok := <-finish[min(run, 2)-1]
		if !ok { // the test failed and is ending
			status = http.StatusInternalServerError
		}
		w.WriteHeader(status)
	})
	v, err := glossiwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	// Copy 1 comes in with a lease the test outlives on purpose; copies 2 and 3 with one no
	// loaded machine outlives by accident, so copy 3 arrives within run 2's lease. Both go to
	// the same Deduper d.
	serve := func(lease time.Duration) string {
		srv := httptest.NewServer(v.Middleware(glossiwebhook.Deduplicate(d, h, glossiwebhook.WithLease(lease))))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	shortLease, longLease := serve(lease), serve(time.Minute)
	t.Cleanup(func() { close(finish[0]); close(finish[1]) }) // first: unblocks a run a failure left waiting
	body := testhelp.Delivery(t)
	send := func(url string) <-chan int {
		answer := make(chan int, 1)
		go func() {
			code, _, err := testhelp.SendSigned(http.DefaultClient, url, body, secret)
			if err != nil {
				t.Error(err)
			}
			answer <- code
		}()
		return answer
	}

	copy1 := send(shortLease)
	<-entered
	time.Sleep(lease + 100*time.Millisecond) // run 1 outlives its lease: the sleep starts after the claim
	copy2 := send(longLease)
	if run := <-entered; run != 2 {
		t.Fatalf("copy 2 started run %d", run)
	}
	finish[0] <- http.StatusInternalServerError // run 1 fails: Deduplicate releases its claim
	if got := <-copy1; got != http.StatusInternalServerError {
		t.Fatalf("copy 1: %d, want 500", got)
	}
	var copy3 int
	select {
	case copy3 = <-send(longLease):
	case run := <-entered:
		t.Fatalf("copy 3, sent while run 2 works, started run %d", run)
	}
	finish[1] <- http.StatusOK
	if got := <-copy2; got != http.StatusOK {
		t.Fatalf("copy 2: %d, want 200", got)
	}
	if copy3 != http.StatusConflict || runs.Load() != 2 {
		t.Fatalf("copy 3 while run 2 works: %d, handler ran %d times; want 409 and 2 runs", copy3, runs.Load())
	}
	t.Logf("lease %v: copy 1 outlived it and failed (500), copy 2 claimed and was handled (200), copy 3 during run 2: %d; handler ran %d times",
		lease, copy3, runs.Load())
}

package glossiwebhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newTestMemoryDeduper(capacity int) (*memoryDeduper, *time.Time) {
	d, ok := NewMemoryDeduper(capacity).(*memoryDeduper)
	if !ok {
		panic("NewMemoryDeduper returned another type")
	}
	now := testNow
	d.elapsed = func() time.Duration { return now.Sub(testNow) }
	return d, &now
}

// holds reports whether the deduper's table holds an entry of key, expired
// or not.
func (m *memoryDeduper) holds(key string) bool {
	_, found := m.table.find(keyOf(key))
	return found
}

// mustClaim claims key for a minute and returns the token.
func mustClaim(t *testing.T, d Deduper, key string, want ClaimStatus) string {
	t.Helper()
	got, token, err := d.Claim(context.Background(), key, time.Minute)
	if err != nil || got != want || (token != "") != (want == Claimed) {
		t.Fatalf("Claim(%q) = %v, token set %t, %v; want %v", key, got, token != "", err, want)
	}
	return token
}

func TestMemoryDeduper_claimDoneRelease(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(8)
	token := mustClaim(t, d, "a", Claimed)
	mustClaim(t, d, "a", InProgress)
	if err := d.Release(ctx, "a", token); err != nil {
		t.Fatal(err)
	}
	token = mustClaim(t, d, "a", Claimed)
	if err := d.Done(ctx, "a", token, time.Hour); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, d, "a", AlreadyDone)
	if err := d.Release(ctx, "a", token); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, d, "a", AlreadyDone) // Release does not undo Done.
	*now = now.Add(time.Hour - time.Nanosecond)
	mustClaim(t, d, "a", AlreadyDone)
	*now = now.Add(time.Nanosecond)
	mustClaim(t, d, "a", Claimed) // The TTL ended.
}

// A claim whose lease ended and was taken over is not the old token's to
// release.
func TestMemoryDeduper_releaseNeedsTheClaimsToken(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(8)
	stale := mustClaim(t, d, "a", Claimed)
	*now = now.Add(time.Minute) // the lease ends
	current := mustClaim(t, d, "a", Claimed)
	if stale == current {
		t.Fatalf("two claims of one key share a token")
	}
	for _, token := range []string{stale, "", "not a token"} {
		if err := d.Release(ctx, "a", token); err != nil {
			t.Fatal(err)
		}
		mustClaim(t, d, "a", InProgress)
	}
	if err := d.Release(ctx, "a", current); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, d, "a", Claimed)
}

func TestMemoryDeduper_leaseEnds(t *testing.T) {
	d, now := newTestMemoryDeduper(8)
	mustClaim(t, d, "a", Claimed) // A replica that never finishes.
	*now = now.Add(time.Minute)
	mustClaim(t, d, "a", Claimed)
}

// When full, the memory deduper refuses new deliveries rather than forget a
// live one; expired entries make room again.
func TestMemoryDeduper_fullRefusesNeverEvicts(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(3)
	for _, k := range []string{"a", "b"} {
		token := mustClaim(t, d, k, Claimed)
		if err := d.Done(ctx, k, token, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	mustClaim(t, d, "c", Claimed) // its lease (a minute) ends before the done marks
	if _, _, err := d.Claim(ctx, "d", time.Minute); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("Claim on a full deduper = %v, want a full error", err)
	}
	for _, k := range []string{"a", "b"} {
		mustClaim(t, d, k, AlreadyDone)
	}
	*now = now.Add(time.Minute)
	mustClaim(t, d, "d", Claimed) // c's lease ended
	*now = now.Add(time.Hour)
	for _, k := range []string{"e", "f", "g"} { // everything before expired
		mustClaim(t, d, k, Claimed)
	}
	if _, _, err := d.Claim(ctx, "h", time.Minute); err == nil {
		t.Fatal("Claim past capacity succeeded")
	}
}

// A full deduper still records a handled delivery whose claim was swept
// after its lease ended (a slow handler): a copy is then AlreadyDone, not
// handled again. New keys stay refused until entries expire.
func TestMemoryDeduper_fullDoneStillRecords(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(1)
	slow := mustClaim(t, d, "slow", Claimed)
	*now = now.Add(time.Minute)   // the slow handler's lease ends
	mustClaim(t, d, "b", Claimed) // sweeps "slow" and fills the deduper
	if d.holds("slow") {
		t.Fatal("the expired claim was not swept; the test proves nothing")
	}
	if err := d.Done(ctx, "slow", slow, time.Hour); err != nil {
		t.Fatalf("Done on a full deduper: %v; the handled delivery is lost", err)
	}
	mustClaim(t, d, "slow", AlreadyDone)
	if _, _, err := d.Claim(ctx, "c", time.Minute); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("Claim past capacity = %v, want a full error", err)
	}
}

// A steady flow of deliveries is swept as it goes, in a table that does not
// grow.
func TestMemoryDeduper_steadyFlowStaysSmall(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(100_000) // never full: Claim's own sweep does it all
	for i := range 10_000 {
		key := fmt.Sprint("k", i)
		token := mustClaim(t, d, key, Claimed)
		if err := d.Done(ctx, key, token, time.Second); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Second)
	}
	if len(d.table.slots) != minTableSlots || d.table.used > minTableSlots/sweepStep+1 {
		t.Fatalf("%d entries in %d slots after 10,000 deliveries", d.table.used, len(d.table.slots))
	}
}

func TestMemoryDeduper_defaultCapacity(t *testing.T) {
	d, _ := newTestMemoryDeduper(0)
	if d.capacity != 100_000 {
		t.Fatalf("capacity %d", d.capacity)
	}
}

func TestMemoryDeduper_concurrentClaimsOneWins(t *testing.T) {
	d := NewMemoryDeduper(1000)
	for i := range 50 {
		key := fmt.Sprint("k", i)
		var claimed atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if st, _, err := d.Claim(context.Background(), key, time.Minute); err == nil && st == Claimed {
					claimed.Add(1)
				}
			})
		}
		wg.Wait()
		if claimed.Load() != 1 {
			t.Fatalf("%s claimed %d times", key, claimed.Load())
		}
	}
}

func TestMemoryDeduper_canceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := NewMemoryDeduper(4).Claim(ctx, "k", time.Minute); err == nil {
		t.Fatal("Claim with a canceled context succeeded")
	}
}

// dedupServer wraps handler in Middleware and Deduplicate; send posts body
// signed with the test secret and returns the status.
func dedupServer(t *testing.T, d Deduper, handler http.Handler, opts ...DedupOption) func(body []byte) int {
	t.Helper()
	h := newTestVerifier(t).Middleware(Deduplicate(d, handler, opts...))
	return func(body []byte) int { return serveDelivery(h, body).Code }
}

func TestDeduplicate_retryAfterFailureThenDuplicate(t *testing.T) {
	next := &recordingHandler{t: t, status: http.StatusInternalServerError}
	send := dedupServer(t, NewMemoryDeduper(16), next)
	body := seedBody()
	if code := send(body); code != 500 || next.calls != 1 {
		t.Fatalf("first: %d, calls %d", code, next.calls)
	}
	next.status = 0 // succeeds from now on (implicit 200)
	if code := send(body); code != 200 || next.calls != 2 {
		t.Fatalf("retry after a failure: %d, calls %d", code, next.calls)
	}
	if code := send(body); code != 200 || next.calls != 2 {
		t.Fatalf("duplicate: %d, calls %d", code, next.calls)
	}
	other := deliveryBody("job.failed", testTS, `{"jobId":"other"}`)
	if code := send(other); code != 200 || next.calls != 3 {
		t.Fatalf("another delivery: %d, calls %d", code, next.calls)
	}
}

// The key is the decoded signature, so an upper-case copy of a handled
// delivery's signature is still a duplicate.
func TestDeduplicate_signatureCaseIsTheSameDelivery(t *testing.T) {
	next := &recordingHandler{t: t}
	h := newTestVerifier(t).Middleware(Deduplicate(NewMemoryDeduper(16), next))
	body := seedBody()
	for _, sig := range []string{Sign(body, testSecret), strings.ToUpper(Sign(body, testSecret)), " " + Sign(body, testSecret)} {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set(SignatureHeader, sig)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	if next.calls != 1 {
		t.Fatalf("handler called %d times", next.calls)
	}
}

func TestDeduplicate_panicReleases(t *testing.T) {
	d := NewMemoryDeduper(16)
	panics := true
	var calls int
	send := dedupServer(t, d, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		calls++
		if panics {
			panic("boom")
		}
	}))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		send(seedBody())
	}()
	panics = false
	if code := send(seedBody()); code != 200 || calls != 2 {
		t.Fatalf("retry after a panic: %d, calls %d", code, calls)
	}
}

// fixedDeduper answers every Claim with one status or error.
type fixedDeduper struct {
	status ClaimStatus
	err    error
	done   int
}

func (f *fixedDeduper) Claim(context.Context, string, time.Duration) (ClaimStatus, string, error) {
	if f.status == Claimed {
		return f.status, "t", f.err
	}
	return f.status, "", f.err
}
func (f *fixedDeduper) Done(context.Context, string, string, time.Duration) error {
	f.done++
	return nil
}
func (f *fixedDeduper) Release(context.Context, string, string) error { return nil }

func TestDeduplicate_answers(t *testing.T) {
	logs := captureSlog(t)

	tests := []struct {
		name     string
		d        *fixedDeduper
		want     int
		wantLog  string
		wantCall bool
	}{
		{"claimed", &fixedDeduper{status: Claimed}, 200, "", true},
		{"already done", &fixedDeduper{status: AlreadyDone}, 200, "", false},
		{"in progress", &fixedDeduper{status: InProgress}, 409, "", false},
		{"store down", &fixedDeduper{err: errors.New("dial tcp 127.0.0.1:6379: connection refused")}, 503, "connection refused", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			next := &recordingHandler{t: t}
			if code := dedupServer(t, tt.d, next)(seedBody()); code != tt.want {
				t.Fatalf("status %d, want %d", code, tt.want)
			}
			if (next.calls == 1) != tt.wantCall {
				t.Fatalf("handler called %d times", next.calls)
			}
			if tt.wantCall != (tt.d.done == 1) {
				t.Fatalf("Done called %d times", tt.d.done)
			}
			if !strings.Contains(logs.String(), tt.wantLog) || (tt.wantLog == "") != (logs.Len() == 0) {
				t.Fatalf("log %q, want %q", logs.String(), tt.wantLog)
			}
		})
	}
}

func TestDeduplicate_outsideMiddlewareFailsClosed(t *testing.T) {
	next := &recordingHandler{t: t}
	w := httptest.NewRecorder()
	Deduplicate(NewMemoryDeduper(4), next).ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", nil))
	if w.Code != 500 || next.calls != 0 {
		t.Fatalf("status %d, calls %d", w.Code, next.calls)
	}
}

// A lease that ends lets another copy through while the first handler is
// stuck, and the TTL option bounds how long a handled delivery is
// remembered.
func TestDeduplicate_options(t *testing.T) {
	var gotLease, gotTTL time.Duration
	d := &recordingDeduper{Deduper: NewMemoryDeduper(4), lease: &gotLease, ttl: &gotTTL}
	dedupServer(t, d, http.NotFoundHandler())(seedBody())
	if gotLease != 45*time.Second {
		t.Fatalf("default lease %s", gotLease)
	}
	dedupServer(t, d, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), WithLease(time.Second), WithDedupTTL(2*time.Hour))(seedBody())
	if gotLease != time.Second || gotTTL != 2*time.Hour {
		t.Fatalf("lease %s, ttl %s", gotLease, gotTTL)
	}
	dedupServer(t, d, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))(deliveryBody("job.failed", testTS, `{}`))
	if gotTTL != 65*time.Minute {
		t.Fatalf("default ttl %s", gotTTL)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("WithLease(0) accepted")
		}
	}()
	Deduplicate(d, http.NotFoundHandler(), WithLease(0))
}

type recordingDeduper struct {
	Deduper
	lease, ttl *time.Duration
}

func (r *recordingDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error) {
	*r.lease = lease
	return r.Deduper.Claim(ctx, key, lease)
}

func (r *recordingDeduper) Done(ctx context.Context, key, token string, ttl time.Duration) error {
	*r.ttl = ttl
	return r.Deduper.Done(ctx, key, token, ttl)
}

// A claim whose lease ended counts as absent, and one that nothing ended
// (no Done, no Release) stops taking room; the done marks stay.
func TestMemoryDeduper_endedClaimsMakeRoom(t *testing.T) {
	ctx := context.Background()
	d, now := newTestMemoryDeduper(200)
	for i := range 100 {
		key := fmt.Sprint("done", i)
		if err := d.Done(ctx, key, mustClaim(t, d, key, Claimed), time.Hour); err != nil {
			t.Fatal(err)
		}
		mustClaim(t, d, fmt.Sprint("claim", i), Claimed) // a minute's lease, never ended
	}
	*now = now.Add(2 * time.Minute)
	mustClaim(t, d, "claim0", Claimed)
	for i := range 99 {
		mustClaim(t, d, fmt.Sprint("new", i), Claimed)
	}
	if _, _, err := d.Claim(ctx, "one too many", time.Minute); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("Claim past 100 done marks and 100 live claims = %v, want a full error", err)
	}
	for i := range 100 {
		mustClaim(t, d, fmt.Sprint("done", i), AlreadyDone)
	}
}

// storeDeduper is a MemoryDeduper whose Done and Release fail with err when it is set, and
// otherwise on a canceled context, as a store reached over the network does.
type storeDeduper struct {
	Deduper
	err error
}

func (d storeDeduper) failure(ctx context.Context) error {
	if d.err != nil {
		return d.err
	}
	return ctx.Err()
}

func (d storeDeduper) Done(ctx context.Context, key, token string, ttl time.Duration) error {
	if err := d.failure(ctx); err != nil {
		return err
	}
	return d.Deduper.Done(ctx, key, token, ttl)
}

func (d storeDeduper) Release(ctx context.Context, key, token string) error {
	if err := d.failure(ctx); err != nil {
		return err
	}
	return d.Deduper.Release(ctx, key, token)
}

// A client that goes away while the handler works does not cost the outcome: the delivery is
// still marked done, so that its copy is answered as a duplicate.
func TestDeduplicate_clientGoneStillMarksDone(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls int
	h := newTestVerifier(t).Middleware(Deduplicate(storeDeduper{Deduper: NewMemoryDeduper(4)},
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++; cancel() })))
	body := seedBody()
	var answers []string
	for _, ctx := range []context.Context{gone, context.Background()} {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set(SignatureHeader, Sign(body, testSecret))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		answers = append(answers, fmt.Sprintf("%d %s", w.Code, strings.TrimSpace(w.Body.String())))
	}
	if calls != 1 || answers[1] != "200 duplicate delivery ignored" {
		t.Errorf("handler called %d times, the copy answered %q; want one call and the copy ignored as a duplicate", calls, answers[1])
	}
}

// When the store fails after the handler, the answer stands and a log line says what it costs.
func TestDeduplicate_storeFailureAfterTheHandlerLogged(t *testing.T) {
	logs := captureSlog(t)

	for _, tc := range []struct {
		name    string
		status  int
		wantLog string
	}{
		{"handled, not marked done", http.StatusOK, "could not mark a handled delivery done"},
		{"failed, not released", http.StatusInternalServerError, "could not release a failed delivery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			d := storeDeduper{Deduper: NewMemoryDeduper(4), err: errors.New("redis: connection pool timeout")}
			next := &recordingHandler{t: t, status: tc.status}
			if code := dedupServer(t, d, next)(seedBody()); code != tc.status || next.calls != 1 {
				t.Fatalf("status %d, handler called %d times; want %d and one call", code, next.calls, tc.status)
			}
			if !strings.Contains(logs.String(), tc.wantLog) || !strings.Contains(logs.String(), "connection pool timeout") {
				t.Errorf("log %q, want %q and the store's error", logs.String(), tc.wantLog)
			}
		})
	}
}

// A handler behind Deduplicate reaches the server's connection through http.ResponseController,
// as it would without it.
func TestDeduplicate_handlerReachesTheResponseController(t *testing.T) {
	deadlineErr := make(chan error, 1)
	srv := httptest.NewServer(newTestVerifier(t).Middleware(Deduplicate(NewMemoryDeduper(4),
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			deadlineErr <- http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
		}))))
	t.Cleanup(srv.Close)
	body := seedBody()
	req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(SignatureHeader, Sign(body, testSecret))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if err := <-deadlineErr; resp.StatusCode != http.StatusOK || err != nil {
		t.Errorf("status %d, SetWriteDeadline: %v; want 200 and no error", resp.StatusCode, err)
	}
}

package pgdedup_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const secret = "whsec_pgdedup_test"

// replica is one receiver replica: its own pool, Deduper, Verifier,
// Middleware and Deduplicate, behind its own HTTP server.
type replica struct{ url string }

// order is the business write of the replicas' handler: a row of orders for
// the delivery, through the claim's transaction. It then calls then(w), which
// answers.
func order(runs *atomic.Int32, then func(w http.ResponseWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		runs.Add(1)
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		tx, ok := pgdedup.TxFromContext(r.Context())
		if !ok {
			http.Error(w, "no transaction", http.StatusInternalServerError)
			return
		}
		if _, err := tx.Exec(r.Context(), `INSERT INTO orders VALUES ($1)`, ev.DedupKey()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		then(w)
	}
}

func startReplicas(t *testing.T, db pgtest.DB, n int, h http.Handler) []replica {
	t.Helper()
	replicas := make([]replica, n)
	for i := range replicas {
		v, err := glossiwebhook.NewVerifier(secret)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(v.Middleware(glossiwebhook.Deduplicate(pgdedup.New(db.Pool(t), ""), h)))
		t.Cleanup(ts.Close)
		replicas[i] = replica{url: ts.URL}
	}
	return replicas
}

// delivery returns a signed delivery body unique to this test.
func delivery(t *testing.T) []byte {
	t.Helper()
	return fmt.Appendf(nil, `{"event":"job.failed","timestamp":%q,"data":{"jobId":%q,"status":"FAILED","error":"boom"}}`,
		time.Now().UTC().Format(time.RFC3339Nano), t.Name())
}

func (r replica) send(t *testing.T, body []byte) (int, string) {
	t.Helper()
	return testhelp.PostSigned(t, r.url, body, secret)
}

func orders(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// One delivery sent to 3 replicas at once is handled once: one copy claims
// it, and while its handler runs the two others get 409 without waiting for
// the lock; the business table has one row.
func TestReplicas_sameDeliveryConcurrentlyHandledOnce(t *testing.T) {
	t.Parallel()
	db, pool, _ := start(t)
	var runs atomic.Int32
	release := make(chan struct{})
	replicas := startReplicas(t, db, 3, order(&runs, func(w http.ResponseWriter) {
		<-release // hold the claim until the other copies have been answered
		_, _ = io.WriteString(w, "handled")
	}))
	body := delivery(t)

	answers := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() {
			code, text := r.send(t, body)
			answers <- fmt.Sprintf("%d %s", code, text)
		}()
	}
	var got []string
	for range 2 {
		select {
		case a := <-answers:
			got = append(got, a)
		case <-time.After(20 * time.Second):
			t.Fatalf("answers while the claim was held: %q; the other copies waited for the lock", got)
		}
	}
	close(release)
	got = append(got, <-answers)
	want := []string{"409 delivery in progress, retry later", "409 delivery in progress, retry later", "200 handled"}
	if !slices.Equal(got, want) || runs.Load() != 1 || orders(t, pool) != 1 {
		t.Fatalf("answers %q, want %q; handler ran %d times; %d business rows, want 1", got, want, runs.Load(), orders(t, pool))
	}
	if code, text := replicas[0].send(t, body); code != http.StatusOK || text != "duplicate delivery ignored" {
		t.Errorf("a later copy: %d %q", code, text)
	}
	t.Logf("one delivery sent to 3 replicas at once: answers %q in turn; handler ran once, one business row", got)
}

// A handler that fails or panics leaves no business row, and the retry, on
// another replica, is handled.
func TestReplicas_failedHandlerRollsBack(t *testing.T) {
	t.Parallel()
	db, pool, _ := start(t)
	var runs atomic.Int32
	replicas := startReplicas(t, db, 2, order(&runs, func(w http.ResponseWriter) {
		switch runs.Load() {
		case 1:
			http.Error(w, "downstream failed", http.StatusBadGateway)
		case 2:
			panic(http.ErrAbortHandler) // net/http closes the connection without logging
		default:
			_, _ = io.WriteString(w, "handled")
		}
	}))
	body := delivery(t)
	if code, _ := replicas[0].send(t, body); code != http.StatusBadGateway || orders(t, pool) != 0 {
		t.Fatalf("failed handler: %d, %d business rows; want 502 and none", code, orders(t, pool))
	}
	if _, err := postSigned(replicas[1].url, body); err == nil || orders(t, pool) != 0 {
		t.Fatalf("panicking handler: err %v, %d business rows; want the connection closed and none", err, orders(t, pool))
	}
	if code, text := replicas[1].send(t, body); code != http.StatusOK || text != "handled" || orders(t, pool) != 1 {
		t.Fatalf("the retry: %d %q, %d business rows; want 200 handled and one", code, text, orders(t, pool))
	}
}

// postSigned is testhelp.PostSigned that returns the error of a request the
// server cut off.
func postSigned(url string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// When the commit fails, the answer is 503, nothing is kept, and the retry is
// handled: the handler's write breaks a deferred constraint, checked at
// COMMIT, the first time.
func TestReplicas_failedCommitAnswers503(t *testing.T) {
	t.Parallel()
	db, pool, _ := start(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE checked (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	replicas := startReplicas(t, db, 1, order(&runs, func(w http.ResponseWriter) {
		_, _ = io.WriteString(w, "handled")
	}))
	if _, err := pool.Exec(ctx, `CREATE FUNCTION break_once() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO checked VALUES (1), (1); RETURN NEW; END $$`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE TRIGGER break_once AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION break_once()`); err != nil {
		t.Fatal(err)
	}
	body := delivery(t)
	code, text := replicas[0].send(t, body)
	if code != http.StatusServiceUnavailable || orders(t, pool) != 0 {
		t.Fatalf("failed commit: %d %q, %d business rows; want 503 and none", code, text, orders(t, pool))
	}
	if _, err := pool.Exec(ctx, `DROP TRIGGER break_once ON orders`); err != nil {
		t.Fatal(err)
	}
	if code, text := replicas[0].send(t, body); code != http.StatusOK || text != "handled" || orders(t, pool) != 1 {
		t.Fatalf("the retry: %d %q, %d business rows; want 200 handled and one", code, text, orders(t, pool))
	}
}

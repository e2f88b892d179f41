package pgdedup_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
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

// startReplicas starts n replicas calling h, each with its own pool of db and its own Deduper.
func startReplicas(t *testing.T, db pgtest.DB, n int, h http.Handler) []testhelp.Replica {
	t.Helper()
	return testhelp.StartReplicas(t, n, secret, func(int) (glossiwebhook.Deduper, http.Handler) {
		return pgdedup.New(db.Pool(t), ""), h
	})
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
	body := testhelp.Delivery(t)

	answers := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() {
			code, text := r.Send(t, body)
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
	if code, text := replicas[0].Send(t, body); code != http.StatusOK || text != "duplicate delivery ignored" {
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
	body := testhelp.Delivery(t)
	if code, _ := replicas[0].Send(t, body); code != http.StatusBadGateway || orders(t, pool) != 0 {
		t.Fatalf("failed handler: %d, %d business rows; want 502 and none", code, orders(t, pool))
	}
	if _, _, err := testhelp.SendSigned(http.DefaultClient, replicas[1].URL, body, secret); err == nil || orders(t, pool) != 0 {
		t.Fatalf("panicking handler: err %v, %d business rows; want the connection closed and none", err, orders(t, pool))
	}
	if code, text := replicas[1].Send(t, body); code != http.StatusOK || text != "handled" || orders(t, pool) != 1 {
		t.Fatalf("the retry: %d %q, %d business rows; want 200 handled and one", code, text, orders(t, pool))
	}
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
	body := testhelp.Delivery(t)
	code, text := replicas[0].Send(t, body)
	if code != http.StatusServiceUnavailable || orders(t, pool) != 0 {
		t.Fatalf("failed commit: %d %q, %d business rows; want 503 and none", code, text, orders(t, pool))
	}
	if _, err := pool.Exec(ctx, `DROP TRIGGER break_once ON orders`); err != nil {
		t.Fatal(err)
	}
	if code, text := replicas[0].Send(t, body); code != http.StatusOK || text != "handled" || orders(t, pool) != 1 {
		t.Fatalf("the retry: %d %q, %d business rows; want 200 handled and one", code, text, orders(t, pool))
	}
}

package redisdedup_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

const secret = "whsec_redisdedup_test"

// replicaLease is the replicas' lease: a minute, which no copy sent during a handler's run
// outlives by accident, however loaded the machine.
const replicaLease = time.Minute

// startReplicas starts n replicas sharing the Redis of srv, each with its own client, calling
// handler with its index.
func startReplicas(t *testing.T, srv *redistest.Server, n int, handler func(i int, w http.ResponseWriter)) []testhelp.Replica {
	t.Helper()
	return testhelp.StartReplicas(t, n, secret, func(i int) (glossiwebhook.Deduper, http.Handler) {
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { handler(i, w) })
		return redisdedup.New(srv.Client(t), ""), h
	}, glossiwebhook.WithLease(replicaLease))
}

// One delivery sent to 3 replicas at once is handled once. The first run lasts until the other
// two copies are answered, so they overlap with it whatever the scheduling, and are answered 409.
func TestReplicas_sameDeliveryConcurrentlyHandledOnce(t *testing.T) {
	srv := redistest.Start(t)
	var runs atomic.Int32
	othersAnswered := make(chan struct{})
	replicas := startReplicas(t, srv, 3, func(_ int, w http.ResponseWriter) {
		if runs.Add(1) == 1 {
			<-othersAnswered
		}
		_, _ = io.WriteString(w, "handled")
	})
	endRun := sync.OnceFunc(func() { close(othersAnswered) })
	t.Cleanup(endRun) // before the servers close, if the test fails first
	body := testhelp.Delivery(t)

	answered := make(chan string, len(replicas))
	for _, r := range replicas {
		go func() {
			answer := "no answer" // if send fails the test
			defer func() { answered <- answer }()
			code, text := r.Send(t, body)
			answer = fmt.Sprintf("%d %s", code, text)
		}()
	}
	var answers []string
	for range len(replicas) - 1 {
		answers = append(answers, <-answered)
	}
	endRun()
	answers = append(answers, <-answered)
	if n := runs.Load(); n != 1 {
		t.Fatalf("handler ran %d times for one delivery sent to 3 replicas, want 1; answers %q", n, answers)
	}
	handled := 0
	for _, a := range answers {
		switch a {
		case "200 handled":
			handled++
		case "409 delivery in progress, retry later":
		default:
			t.Errorf("unexpected answer %q", a)
		}
	}
	if handled != 1 {
		t.Errorf("answers %q: want exactly one 200 from the handler", answers)
	}
	retries := make([]string, len(replicas))
	for i, r := range replicas {
		code, text := r.Send(t, body)
		retries[i] = fmt.Sprintf("%d %s", code, text)
		if code != http.StatusOK || text != "duplicate delivery ignored" {
			t.Errorf("retry to replica %d after it was handled: %s, want 200 duplicate delivery ignored", i, retries[i])
		}
	}
	t.Logf("3 replicas, one Redis, one delivery sent to all 3 at once: handler ran %d time(s); answers %q; later retries %q",
		runs.Load(), answers, retries)
}

func TestReplicas_failedHandlerRetryProcessed(t *testing.T) {
	srv := redistest.Start(t)
	var runs atomic.Int32
	replicas := startReplicas(t, srv, 3, func(_ int, w http.ResponseWriter) {
		if runs.Add(1) == 1 {
			http.Error(w, "database down", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "handled")
	})
	body := testhelp.Delivery(t)

	first, _ := replicas[0].Send(t, body)
	retry, text := replicas[1].Send(t, body)
	if first != http.StatusInternalServerError || retry != http.StatusOK || text != "handled" {
		t.Fatalf("first attempt %d (want 500), retry on another replica %d %q (want 200 handled)", first, retry, text)
	}
	again, text := replicas[2].Send(t, body)
	if again != http.StatusOK || text != "duplicate delivery ignored" || runs.Load() != 2 {
		t.Errorf("retry after success: %d %q, handler runs %d; want 200 duplicate, 2 runs", again, text, runs.Load())
	}
	t.Logf("handler failed on replica 0 (%d); Glossi's retry on replica 1 was processed (%d); a later copy on replica 2: %d %s",
		first, retry, again, text)
}

// A replica that dies mid-handler holds its claim until the lease ends: a retry during the lease
// gets 409, and the retry after it is handled. The lease is a minute, so that the retry during it
// is within it however loaded the machine; the test then ends the lease in Redis rather than
// waiting for it, after checking that the claim carries it.
func TestReplicas_killedMidHandlerRetryAfterLease(t *testing.T) {
	srv := redistest.Start(t)
	hung := make(chan struct{})
	entered := make(chan struct{})
	var runs atomic.Int32
	replicas := startReplicas(t, srv, 2, func(i int, w http.ResponseWriter) {
		runs.Add(1)
		if i == 0 {
			close(entered)
			<-hung // replica 0 dies here: it never answers, never releases its claim
			return
		}
		_, _ = io.WriteString(w, "handled")
	})
	defer close(hung)
	body := testhelp.Delivery(t)

	go func() { _, _, _ = testhelp.SendSigned(http.DefaultClient, replicas[0].URL, body, secret) }()
	<-entered
	during, _ := replicas[1].Send(t, body)
	if during != http.StatusConflict {
		t.Errorf("retry during the dead replica's lease: %d, want 409", during)
	}
	claim := redisdedup.DefaultPrefix + glossiwebhook.Sign(body, secret) // the delivery's DedupKey
	rdb := srv.Client(t)
	if left := rdb.PTTL(t.Context(), claim).Val(); left <= 0 || left > replicaLease {
		t.Fatalf("the dead replica's claim expires in %v, want within its lease (%v)", left, replicaLease)
	}
	if err := rdb.PExpire(t.Context(), claim, time.Millisecond).Err(); err != nil { // the lease ends
		t.Fatal(err)
	}
	for rdb.Exists(t.Context(), claim).Val() != 0 { // Redis expires it within a millisecond
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	after, text := replicas[1].Send(t, body)
	if after != http.StatusOK || text != "handled" || runs.Load() != 2 {
		t.Fatalf("retry after the lease: %d %q, handler runs %d; want 200 handled, 2 runs", after, text, runs.Load())
	}
	t.Logf("replica 0 hung mid-handler holding the claim (lease %v): a retry during the lease got %d, the retry after it was processed by replica 1 (%d, %v)",
		replicaLease, during, after, time.Since(start).Round(time.Millisecond))
}

func TestReplicas_redisStoppedAnswers503AndLogs(t *testing.T) {
	srv := redistest.Start(t)
	var logs testhelp.SyncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	var runs atomic.Int32
	replicas := startReplicas(t, srv, 1, func(_ int, w http.ResponseWriter) {
		runs.Add(1)
		_, _ = io.WriteString(w, "handled")
	})
	srv.Stop()

	code, text := replicas[0].Send(t, testhelp.Delivery(t))
	if code != http.StatusServiceUnavailable || runs.Load() != 0 {
		t.Errorf("Redis stopped: %d %q, handler runs %d; want 503 and no run", code, text, runs.Load())
	}
	line := logs.String()
	if !strings.Contains(line, "deduplication unavailable") || !strings.Contains(line, "redisdedup: claim") {
		t.Errorf("log %q: want the dedup failure with its cause", line)
	}
	if strings.Contains(line, secret) {
		t.Errorf("log leaks the secret: %q", line)
	}
	t.Logf("Redis stopped: answer %d %q, handler not run; log: %s", code, text, strings.TrimSpace(line))
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// The run the docs' comparison rests on: 3 receiver replicas, 100
// deliveries sent 6 times each at once with a handler slower than the
// sender's timeout, one replica killed with SIGKILL while its handlers run
// and restarted, then every delivery sent again until it is answered 2xx, as
// Glossi's retries would. glossi_receiver_events is the business effect.
const (
	runDeliveries = 100
	runCopies     = 6
	runDelay      = 3 * time.Second // --handler-delay
	senderTimeout = time.Second     // shorter than runDelay: every handled copy times out on the sender
	redisLease    = 4 * time.Second // longer than runDelay: Redis's duplicates come from the kill only
)

// With PostgreSQL, the killed replica's transactions roll back with its
// connections, its deliveries are handled again, and each delivery has
// exactly one row. With Redis keeping the claims, the same run leaves a
// second row for each delivery the killed replica had written before it
// died: the run must produce some, or the kill missed the handlers.
func TestReplicas_killedReplicaEffectsOnce(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t).DSN
		r := runKilledReplica(t, dsn, []string{"--postgres", dsn + "&pool_max_conns=40"})
		if r.rows != runDeliveries || r.distinct != runDeliveries || r.runs <= runDeliveries {
			t.Fatalf("%s; want %d rows of %d deliveries, and more handler runs than deliveries (the killed ones redone)", r, runDeliveries, runDeliveries)
		}
		t.Logf("pgdedup: %s", r)
	})
	t.Run("redis", func(t *testing.T) {
		dsn := pgtest.NewDatabase(t).DSN
		r := runKilledReplica(t, dsn, []string{"--redis", redistest.Start(t).Addr, "--postgres", dsn + "&pool_max_conns=40",
			"--lease", redisLease.String()})
		if r.distinct != runDeliveries || r.rows <= runDeliveries {
			t.Fatalf("%s; want every delivery recorded, some twice (the killed replica's)", r)
		}
		t.Logf("redisdedup: %s: %d duplicate effects", r, r.rows-r.distinct)
	})
}

// runResult is what a run left: rows of glossi_receiver_events, their
// distinct dedup keys, handler runs (log lines), and the killed replica's
// handlers running when it was killed.
type runResult struct {
	rows, distinct, runs, killedMidHandler int
	took                                   time.Duration
}

func (r runResult) String() string {
	return fmt.Sprintf("%d rows, %d distinct deliveries; the handler ran %d times, %d of them on the replica killed mid-handler; %v",
		r.rows, r.distinct, r.runs, r.killedMidHandler, r.took.Round(100*time.Millisecond))
}

func runKilledReplica(t *testing.T, dsn string, storeArgs []string) runResult {
	start := time.Now()
	args := append([]string{"--handler-delay", runDelay.String()}, storeArgs...)
	replicas := []*replicaProcess{startReplica(t, args), startReplica(t, args), startReplica(t, args)}
	bodies := make([][]byte, runDeliveries)
	ts := time.Now().UTC().Format(time.RFC3339Nano)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"event":"render.complete","timestamp":%q,"data":{"jobId":"run-%d"}}`, ts, i)
	}
	client := &http.Client{Timeout: senderTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: runDeliveries * runCopies}}
	defer client.CloseIdleConnections()

	var firstRound sync.WaitGroup
	for i, body := range bodies {
		for c := range runCopies {
			firstRound.Go(func() { _, _, _ = testhelp.SendSigned(client, replicas[(i+c)%len(replicas)].url, body, secret) })
		}
	}
	killed := replicas[0].killMidHandler(t)
	replicas[0].restart(t)
	firstRound.Wait()

	var retries sync.WaitGroup
	for i, body := range bodies {
		retries.Go(func() { sendUntilOK(t, client, replicas[i%len(replicas)].url, body) })
	}
	retries.Wait()
	r := runResult{killedMidHandler: killed}
	for _, p := range replicas {
		p.stop(t) // waits for the handlers still running
		r.runs += p.handlerRuns(t)
	}
	pool := pgtest.DB{DSN: dsn}.Pool(t)
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT dedup_key) FROM glossi_receiver_events`).Scan(&r.rows, &r.distinct); err != nil {
		t.Fatal(err)
	}
	r.took = time.Since(start)
	return r
}

// sendUntilOK sends a delivery again every 300 ms until it is answered 2xx.
func sendUntilOK(t *testing.T, client *http.Client, url string, body []byte) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if code, _, _ := testhelp.SendSigned(client, url, body, secret); code >= 200 && code <= 299 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("a delivery was not answered 2xx within 2 minutes: %s", body)
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// replicaProcess is a receiver running as a process of its own (the test
// binary running main), so that it can be killed.
type replicaProcess struct {
	args []string
	url  string
	log  string
	cmd  *exec.Cmd
}

func startReplica(t *testing.T, args []string) *replicaProcess {
	t.Helper()
	addr := freeLoopbackAddr(t)
	p := &replicaProcess{args: append([]string{"--addr", addr}, args...), url: "http://" + addr + "/webhooks/glossi",
		log: fmt.Sprintf("%s/replica-%s.log", t.TempDir(), strings.ReplaceAll(addr, ":", "-"))}
	p.start(t)
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *replicaProcess) start(t *testing.T) {
	t.Helper()
	out, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	before := strings.Count(p.logText(t), "deduplicating on")
	cmd := exec.Command(os.Args[0], p.args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "GLOSSI_WEBHOOK_SECRET="+secret)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmd = cmd
	deadline := time.Now().Add(time.Minute)
	for strings.Count(p.logText(t), "deduplicating on") == before {
		if time.Now().After(deadline) {
			t.Fatalf("replica %s not ready after a minute:\n%s", p.url, p.logText(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *replicaProcess) logText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(p.log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// handlerRuns counts the handler's runs in the log, across restarts.
func (p *replicaProcess) handlerRuns(t *testing.T) int {
	return strings.Count(p.logText(t), "verified render.complete")
}

// killMidHandler waits until the replica's handler has started on the
// deliveries it claimed (no new start for 200 ms), each held for
// --handler-delay, and kills it with SIGKILL, at the latest half that delay
// after the first start. It returns how many handlers had started.
func (p *replicaProcess) killMidHandler(t *testing.T) int {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for p.handlerRuns(t) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("replica %s handled nothing in a minute:\n%s", p.url, p.logText(t))
		}
		time.Sleep(5 * time.Millisecond)
	}
	latest := time.Now().Add(runDelay / 2)
	for seen := 0; time.Now().Before(latest); {
		time.Sleep(200 * time.Millisecond)
		n := p.handlerRuns(t)
		if n == seen {
			break
		}
		seen = n
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
	p.cmd = nil
	return p.handlerRuns(t)
}

func (p *replicaProcess) restart(t *testing.T) {
	t.Helper()
	p.start(t)
}

// stop stops the replica with SIGTERM, as a deployment would; it answers
// the deliveries it is handling first.
func (p *replicaProcess) stop(t *testing.T) {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
		t.Errorf("replica %s did not stop within 30s of SIGTERM", p.url)
	}
	p.cmd = nil
}

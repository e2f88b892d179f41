package testhelp

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// WorkersPerReplica is how many deliveries BenchReplicas sends each replica
// at once.
const WorkersPerReplica = 4

// BenchReplicas measures new deliveries handled with success by replicas
// receivers, each an HTTP server on loopback with a Verifier's Middleware
// and Deduplicate over its own Deduper (newDeduper(i), with its own
// connections to the shared store), sent WorkersPerReplica deliveries at
// once over kept-alive connections, as Glossi sends them. The handler does
// nothing but answer 200, so that the store's part shows. It reports
// deliveries/s, and the store's round trips per delivery as counted by rt
// (the Deduper's connections must dial through rt.Dial). before runs once
// the replicas are warm, just before the timed loop.
func BenchReplicas(b *testing.B, replicas int, rt *RoundTrips, newDeduper func(i int) glossiwebhook.Deduper, before func()) {
	const secret = "whsec_bench_replicas"
	started := StartReplicas(b, replicas, secret, func(i int) (glossiwebhook.Deduper, http.Handler) {
		return newDeduper(i), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: WorkersPerReplica}}
	b.Cleanup(client.CloseIdleConnections)
	run := rand.Text()[:8]
	ts := time.Now().UTC().Format(time.RFC3339Nano)
	var next atomic.Int64
	deliver := func(url string) {
		body := fmt.Appendf(nil, `{"event":"job.failed","timestamp":%q,"data":{"jobId":"%s-%d"}}`, ts, run, next.Add(1))
		code, _, err := SendSigned(client, url, body, secret)
		if err != nil {
			b.Error(err)
			return
		}
		if code != http.StatusOK {
			b.Errorf("delivery answered %d", code)
		}
	}
	for _, r := range started { // warm: connections dialled, statements prepared
		for range WorkersPerReplica {
			deliver(r.URL)
		}
	}
	if before != nil {
		before()
	}
	rt.writes.Store(0)
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for _, r := range started {
		for range WorkersPerReplica {
			wg.Go(func() {
				for left.Add(-1) >= 0 {
					deliver(r.URL)
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(rt.writes.Load())/float64(b.N), "roundtrips/delivery")
}

// RoundTrips counts the writes on the connections it dials: a client that
// writes its request and waits for the answer writes once a round trip
// (pgx sends a batch, and go-redis a pipeline, in one write).
type RoundTrips struct {
	dialer net.Dialer
	writes atomic.Int64
}

// Dial dials a connection whose writes are counted.
func (rt *RoundTrips) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := rt.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countedConn{Conn: c, writes: &rt.writes}, nil
}

type countedConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c *countedConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

package redisdedup_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// BenchmarkDelivery is what Deduplicate asks of Redis for one new delivery
// handled with success: Claim, then Done. Besides the client's ns/op it
// reports Redis's own view from INFO commandstats: the commands and the
// server CPU time (usec) spent per delivery.
func BenchmarkDelivery(b *testing.B) {
	srv := redistest.Start(b)
	rdb := srv.Client(b)
	d := redisdedup.New(rdb, "bench:")
	ctx := context.Background()
	if err := rdb.ConfigResetStat(ctx).Err(); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++
		key := strconv.Itoa(n)
		if err := deliverOnce(ctx, d, key); err != nil {
			b.Fatal(err)
		}
	}
	for name, st := range commandStats(b, rdb) {
		b.ReportMetric(float64(st.calls)/float64(n), name+"-calls/delivery")
		b.ReportMetric(st.usec/float64(n), name+"-usec/delivery")
	}
}

// BenchmarkReplicas is deliveries through 1 and 3 replicas on one Redis,
// each with its own client, testhelp.WorkersPerReplica deliveries at once
// (compare with pgdedup's BenchmarkReplicas). Besides deliveries/s and round
// trips it reports the server CPU time (usec) per delivery, from INFO
// commandstats.
func BenchmarkReplicas(b *testing.B) {
	srv := redistest.Start(b)
	admin := srv.Client(b)
	for _, replicas := range []int{1, 3} {
		b.Run(fmt.Sprintf("replicas=%d", replicas), func(b *testing.B) {
			var rt testhelp.RoundTrips
			testhelp.BenchReplicas(b, replicas, &rt, func(int) glossiwebhook.Deduper {
				rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: testhelp.WorkersPerReplica, Dialer: rt.Dial})
				b.Cleanup(func() { _ = rdb.Close() })
				return redisdedup.New(rdb, "bench:")
			}, func() {
				if err := admin.ConfigResetStat(context.Background()).Err(); err != nil {
					b.Fatal(err)
				}
			})
			var usec float64
			for _, st := range commandStats(b, admin) {
				usec += st.usec
			}
			b.ReportMetric(usec/float64(b.N), "server-usec/delivery")
		})
	}
}

type commandStat struct {
	calls int
	usec  float64
}

// commandStats returns calls and usec per data command from INFO
// commandstats (not INFO, CONFIG or the client's handshake). Commands a Lua
// script runs are listed on their own and also counted in the script's usec.
func commandStats(b *testing.B, rdb *redis.Client) map[string]commandStat {
	b.Helper()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	stats := make(map[string]commandStat)
	for line := range strings.SplitSeq(info, "\n") {
		name, fields, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		cmd := strings.TrimPrefix(name, "cmdstat_")
		switch cmd {
		case "info", "config|resetstat", "hello", "client|setinfo", "ping", "script|load":
			continue
		}
		var st commandStat
		for f := range strings.SplitSeq(fields, ",") {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "calls":
				st.calls, _ = strconv.Atoi(v)
			case "usec":
				st.usec, _ = strconv.ParseFloat(v, 64)
			}
		}
		stats[cmd] = st
	}
	return stats
}

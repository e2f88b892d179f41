package redisdedup_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
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

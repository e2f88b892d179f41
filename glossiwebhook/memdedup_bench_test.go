package glossiwebhook

import (
	"context"
	"encoding/hex"
	"fmt"
	"testing"
	"time"
)

// Deduplicate's defaults, the durations a receiver's deduper sees.
const (
	benchLease = 45 * time.Second
	benchTTL   = 65 * time.Minute
)

// steadyClock is a deduper's clock that reads the system clock, as a
// deduper does (elapsed for memoryDeduper, read for heapDeduper), moved on
// by step at each delivery, so that deliveries expire as fast as
// they come and the deduper holds a steady live set of TTL/step entries.
type steadyClock struct {
	start time.Time
	ahead time.Duration
	step  time.Duration
}

func (c *steadyClock) read() time.Time        { return time.Now().Add(c.ahead) }
func (c *steadyClock) elapsed() time.Duration { return time.Since(c.start) + c.ahead }
func (c *steadyClock) tick()                  { c.ahead += c.step }

func newSteadyClock(live int) *steadyClock {
	return &steadyClock{start: time.Now(), step: benchTTL / time.Duration(live)}
}

// benchKey returns the key of delivery i shaped like Event.DedupKey (64 hex
// characters), built as DedupKey builds it, a new string for each
// delivery: a key comes back only after 2^32 deliveries, long after it
// expired.
func benchKey(i int) string {
	var b [32]byte
	b[0], b[1], b[2], b[3] = byte(i), byte(i>>8), byte(i>>16), byte(i>>24)
	var key [64]byte
	hex.Encode(key[:], b[:])
	return string(key[:])
}

// BenchmarkMemoryDeduper is Claim then Done of a new delivery, with
// Deduplicate's default lease and TTL, at a steady live set of 1k and 150k
// deliveries: the deduper against the heap it replaced (heapDeduper).
// Compare with benchstat -col /impl, and across /live.
func BenchmarkMemoryDeduper(b *testing.B) {
	impls := []struct {
		name string
		make func(clock *steadyClock) Deduper
	}{
		{"deduper", func(clock *steadyClock) Deduper {
			d, _ := NewMemoryDeduper(200_000).(*memoryDeduper)
			d.elapsed = clock.elapsed
			return d
		}},
		{"heap", func(clock *steadyClock) Deduper { return newHeapDeduper(200_000, clock.read) }},
	}
	for _, live := range []int{1_000, 150_000} {
		for _, impl := range impls {
			b.Run(fmt.Sprintf("live=%dk/impl=%s", live/1000, impl.name), func(b *testing.B) {
				clock := newSteadyClock(live)
				d := impl.make(clock)
				ctx := context.Background()
				deliver := func(key string) {
					clock.tick()
					status, token, err := d.Claim(ctx, key, benchLease)
					if err != nil || status != Claimed {
						b.Fatalf("claim: %v, %v", status, err)
					}
					if err := d.Done(ctx, key, token, benchTTL); err != nil {
						b.Fatal(err)
					}
				}
				i := 0
				for ; i < 2*live; i++ { // reach the steady live set
					deliver(benchKey(i))
				}
				b.ReportAllocs()
				defer reportCPUTime(b)()
				for b.Loop() {
					deliver(benchKey(i))
					i++
				}
			})
		}
	}
}

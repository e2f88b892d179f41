package glossiwebhook

import (
	"context"
	"fmt"
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
	d.now = func() time.Time { return now }
	return d, &now
}

func mustSeen(t *testing.T, d Deduper, key string, ttl time.Duration, want bool) {
	t.Helper()
	got, err := d.Seen(context.Background(), key, ttl)
	if err != nil || got != want {
		t.Fatalf("Seen(%q) = %v, %v; want %v", key, got, err, want)
	}
}

func TestMemoryDeduper_basic(t *testing.T) {
	d, _ := newTestMemoryDeduper(10)
	mustSeen(t, d, "a", time.Minute, false)
	mustSeen(t, d, "a", time.Minute, true)
	mustSeen(t, d, "b", time.Minute, false)
	mustSeen(t, d, "a", time.Minute, true)
	if _, ok := any(d).(Forgetter); !ok {
		t.Fatal("memory deduper is not a Forgetter")
	}
	if err := d.Forget(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	_ = d.Forget(context.Background(), "never-seen")
	mustSeen(t, d, "a", time.Minute, false)
}

func TestMemoryDeduper_ttl(t *testing.T) {
	d, now := newTestMemoryDeduper(10)
	mustSeen(t, d, "a", time.Minute, false)
	mustSeen(t, d, "forever", 0, false)
	*now = now.Add(59 * time.Second)
	mustSeen(t, d, "a", time.Minute, true)
	*now = now.Add(time.Second) // exactly at expiry
	mustSeen(t, d, "a", time.Minute, false)
	*now = now.Add(30 * time.Second) // re-recorded with a fresh ttl
	mustSeen(t, d, "a", time.Minute, true)
	*now = now.Add(365 * 24 * time.Hour)
	mustSeen(t, d, "forever", 0, true)
	mustSeen(t, d, "a", time.Minute, false)
}

func TestMemoryDeduper_expiredPruned(t *testing.T) {
	d, now := newTestMemoryDeduper(100)
	for i := range 50 {
		mustSeen(t, d, fmt.Sprint(i), time.Minute, false)
	}
	*now = now.Add(2 * time.Minute)
	mustSeen(t, d, "new", time.Minute, false)
	if n := d.len(); n != 1 {
		t.Fatalf("len = %d after expiry, want 1", n)
	}
}

func TestMemoryDeduper_capacityEvictsOldest(t *testing.T) {
	d, _ := newTestMemoryDeduper(3)
	for _, k := range []string{"1", "2", "3"} {
		mustSeen(t, d, k, time.Hour, false)
	}
	mustSeen(t, d, "1", time.Hour, true) // a hit does not refresh the order
	mustSeen(t, d, "4", time.Hour, false)
	if n := d.len(); n != 3 {
		t.Fatalf("len = %d, want 3", n)
	}
	mustSeen(t, d, "2", time.Hour, true)
	mustSeen(t, d, "1", time.Hour, false) // evicted as the oldest, now back (evicting 2)
	mustSeen(t, d, "3", time.Hour, true)
}

func TestMemoryDeduper_defaultCapacity(t *testing.T) {
	for _, c := range []int{0, -5} {
		d, _ := NewMemoryDeduper(c).(*memoryDeduper)
		if got := d.capacity; got != DefaultMemoryDeduperCapacity {
			t.Fatalf("capacity(%d) = %d", c, got)
		}
	}
}

func TestMemoryDeduper_concurrent(t *testing.T) {
	d := NewMemoryDeduper(1000)
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for k := range 50 {
				seen, err := d.Seen(context.Background(), fmt.Sprint(k), time.Hour)
				if err != nil {
					t.Error(err)
				}
				if !seen {
					fresh.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if fresh.Load() != 50 {
		t.Fatalf("%d keys reported new, want exactly 50", fresh.Load())
	}
}

func TestMemoryDeduper_canceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewMemoryDeduper(1).Seen(ctx, "k", time.Minute); err == nil {
		t.Fatal("Seen with a canceled context succeeded")
	}
}

package redisdedup_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
)

func TestDeduper_claimDoneRelease(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	d := redisdedup.New(rdb, "t:")
	ctx := context.Background()

	claim(t, d, "k1", time.Minute, glossiwebhook.Claimed)
	claim(t, d, "k1", time.Minute, glossiwebhook.InProgress)
	if err := d.Release(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.Claimed)
	if err := d.Done(ctx, "k1", 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.AlreadyDone)
	if err := d.Release(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.AlreadyDone) // Release after Done keeps it done

	ttl := rdb.PTTL(ctx, "t:k1").Val()
	if ttl < 4*time.Minute || ttl > 5*time.Minute {
		t.Errorf("done marker expires in %v, want the dedup TTL (5m)", ttl)
	}
	claim(t, d, "k2", 30*time.Second, glossiwebhook.Claimed)
	if lease := rdb.PTTL(ctx, "t:k2").Val(); lease < 25*time.Second || lease > 30*time.Second {
		t.Errorf("claim expires in %v, want the lease (30s)", lease)
	}
}

// A replica whose lease ended must not release the claim another replica
// took after it.
func TestDeduper_releaseKeepsAnotherReplicasClaim(t *testing.T) {
	srv := redistest.Start(t)
	slow, fast, third := redisdedup.New(srv.Client(t), ""), redisdedup.New(srv.Client(t), ""), redisdedup.New(srv.Client(t), "")

	claim(t, slow, "k", 100*time.Millisecond, glossiwebhook.Claimed)
	time.Sleep(200 * time.Millisecond) // slow's lease ends
	claim(t, fast, "k", time.Minute, glossiwebhook.Claimed)
	if err := slow.Release(context.Background(), "k"); err != nil {
		t.Fatal(err)
	}
	claim(t, third, "k", time.Minute, glossiwebhook.InProgress)
}

func TestDeduper_concurrentClaimsOneWins(t *testing.T) {
	srv := redistest.Start(t)
	const n = 50
	var wg sync.WaitGroup
	results := make(chan glossiwebhook.ClaimStatus, n)
	for range n {
		d := redisdedup.New(srv.Client(t), "")
		wg.Go(func() {
			s, err := d.Claim(context.Background(), "same", time.Minute)
			if err != nil {
				t.Error(err)
			}
			results <- s
		})
	}
	wg.Wait()
	close(results)
	claimed := 0
	for s := range results {
		if s == glossiwebhook.Claimed {
			claimed++
		}
	}
	if claimed != 1 {
		t.Errorf("%d of %d concurrent claims got Claimed, want exactly 1", claimed, n)
	}
}

func TestDeduper_redisDownIsAnError(t *testing.T) {
	srv := redistest.Start(t)
	d := redisdedup.New(srv.Client(t), "")
	srv.Stop()
	if _, err := d.Claim(context.Background(), "k", time.Minute); err == nil {
		t.Error("Claim with Redis stopped: no error, want one (fail closed)")
	}
}

func claim(t *testing.T, d *redisdedup.Deduper, key string, lease time.Duration, want glossiwebhook.ClaimStatus) {
	t.Helper()
	got, err := d.Claim(context.Background(), key, lease)
	if err != nil {
		t.Fatalf("Claim(%s): %v", key, err)
	}
	if got != want {
		t.Fatalf("Claim(%s) = %d, want %d", key, got, want)
	}
}

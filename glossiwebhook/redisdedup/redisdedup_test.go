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

	token := claim(t, d, "k1", time.Minute, glossiwebhook.Claimed)
	claim(t, d, "k1", time.Minute, glossiwebhook.InProgress)
	if err := d.Release(ctx, "k1", token); err != nil {
		t.Fatal(err)
	}
	token = claim(t, d, "k1", time.Minute, glossiwebhook.Claimed)
	if err := d.Done(ctx, "k1", token, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.AlreadyDone)
	if err := d.Release(ctx, "k1", token); err != nil {
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

// A claim whose lease ended must not release the claim taken after it, by
// another replica or by the same Deduper.
func TestDeduper_releaseKeepsTheNewerClaim(t *testing.T) {
	srv := redistest.Start(t)
	one, other := redisdedup.New(srv.Client(t), ""), redisdedup.New(srv.Client(t), "")
	for name, taker := range map[string]*redisdedup.Deduper{"another replica": other, "the same Deduper": one} {
		t.Run(name, func(t *testing.T) {
			key := t.Name()
			stale := claim(t, one, key, 100*time.Millisecond, glossiwebhook.Claimed)
			time.Sleep(200 * time.Millisecond) // the lease ends
			current := claim(t, taker, key, time.Minute, glossiwebhook.Claimed)
			if err := one.Release(context.Background(), key, stale); err != nil {
				t.Fatal(err)
			}
			claim(t, other, key, time.Minute, glossiwebhook.InProgress)
			if err := taker.Release(context.Background(), key, current); err != nil {
				t.Fatal(err)
			}
			claim(t, other, key, time.Minute, glossiwebhook.Claimed)
		})
	}
}

func TestDeduper_concurrentClaimsOneWins(t *testing.T) {
	srv := redistest.Start(t)
	const n = 50
	var wg sync.WaitGroup
	results := make(chan glossiwebhook.ClaimStatus, n)
	for range n {
		d := redisdedup.New(srv.Client(t), "")
		wg.Go(func() {
			s, _, err := d.Claim(context.Background(), "same", time.Minute)
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
	if _, _, err := d.Claim(context.Background(), "k", time.Minute); err == nil {
		t.Error("Claim with Redis stopped: no error, want one (fail closed)")
	}
}

// claim claims key and returns the token.
func claim(t *testing.T, d *redisdedup.Deduper, key string, lease time.Duration, want glossiwebhook.ClaimStatus) string {
	t.Helper()
	got, token, err := d.Claim(context.Background(), key, lease)
	if err != nil {
		t.Fatalf("Claim(%s): %v", key, err)
	}
	if got != want || (token != "") != (want == glossiwebhook.Claimed) {
		t.Fatalf("Claim(%s) = %d, token set %t; want %d", key, got, token != "", want)
	}
	return token
}

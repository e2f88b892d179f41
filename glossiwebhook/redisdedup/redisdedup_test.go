package redisdedup_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
	"github.com/glossi/terraform-provider-glossi/internal/redistest"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
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
	doneAt := time.Now()
	if err := d.Done(ctx, "k1", token, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.AlreadyDone)
	if err := d.Release(ctx, "k1", token); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", time.Minute, glossiwebhook.AlreadyDone) // Release after Done keeps it done

	if ttl := rdb.PTTL(ctx, "t:k1").Val(); !expiresAfter(ttl, 5*time.Minute, doneAt) {
		t.Errorf("done marker expires in %v, %v after Done; want the dedup TTL (5m)", ttl, time.Since(doneAt))
	}
	claimedAt := time.Now()
	claim(t, d, "k2", 30*time.Second, glossiwebhook.Claimed)
	if lease := rdb.PTTL(ctx, "t:k2").Val(); !expiresAfter(lease, 30*time.Second, claimedAt) {
		t.Errorf("claim expires in %v, %v after the claim; want the lease (30s)", lease, time.Since(claimedAt))
	}
}

// expiresAfter reports whether a key's remaining time to live, read now, is that of a key set
// to live for ttl at a moment since start: at most ttl, and at least ttl less the time since
// start (and the millisecond PTTL rounds to). Only a wrong ttl fails it, however slow the machine.
func expiresAfter(left, ttl time.Duration, start time.Time) bool {
	return left <= ttl && left >= ttl-time.Since(start)-time.Millisecond
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

// A Redis older than 7.0 refuses every claim with "ERR syntax error" (it knows no SET ... NX
// GET): the error says which version it found. A newer one that refuses a claim is not blamed.
// No Redis 6 is at hand, so a fake speaks for each version: its INFO and its refusal of the SET.
func TestDeduper_oldRedisNamed(t *testing.T) {
	for version, want := range map[string]string{
		"6.2.14": "redisdedup: claim: needs Redis 7.0+ (found 6.2.14): ERR syntax error",
		"5.0.7":  "redisdedup: claim: needs Redis 7.0+ (found 5.0.7): ERR syntax error",
		"7.0.0":  "redisdedup: claim: ERR syntax error",
		"7.2.4":  "redisdedup: claim: ERR syntax error",
		"":       "redisdedup: claim: ERR syntax error", // INFO without a version
	} {
		addr, _ := fakeRedis(t, version)
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { _ = rdb.Close() })
		if _, _, err := redisdedup.New(rdb, "").Claim(context.Background(), "k", time.Minute); err == nil || err.Error() != want {
			t.Errorf("Redis %q: Claim = %v, want %q", version, err, want)
		}
	}
}

// A Redis 6 refuses every claim: the Deduper asks its version once, not once a claim, and names
// it in every refusal; claims refused at once share what the first answer taught.
func TestDeduper_oldRedisVersionAskedOnce(t *testing.T) {
	addr, infos := fakeRedis(t, "6.2.14")
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	d := redisdedup.New(rdb, "")
	claim := func(key string) {
		if _, _, err := d.Claim(context.Background(), key, time.Minute); err == nil || !strings.Contains(err.Error(), "needs Redis 7.0+ (found 6.2.14)") {
			t.Errorf("Claim(%s) = %v, want the version named", key, err)
		}
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { claim(fmt.Sprint("at-once-", i)) })
	}
	wg.Wait()
	asked := infos.Load()
	for i := range 4 {
		claim(fmt.Sprint("after-", i))
	}
	if asked < 1 || infos.Load() != asked {
		t.Errorf("INFO asked %d times by 4 claims at once, %d by 4 claims after; want at least once, then never", asked, infos.Load()-asked)
	}
}

// The real Redis 7 refusing a claim (the key holds a hash) keeps its own error.
func TestDeduper_otherRefusalNotBlamedOnTheVersion(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	if err := rdb.HSet(context.Background(), "t:k", "field", "value").Err(); err != nil {
		t.Fatal(err)
	}
	_, _, err := redisdedup.New(rdb, "t:").Claim(context.Background(), "k", time.Minute)
	if err == nil || !strings.Contains(err.Error(), "WRONGTYPE") || strings.Contains(err.Error(), "needs Redis") {
		t.Errorf("Claim on a hash = %v, want Redis's WRONGTYPE, not a version problem", err)
	}
}

// Behind Deduplicate, a Redis 6 answers every delivery 503, and the log says why.
func TestDeduplicate_oldRedisLogsWhy(t *testing.T) {
	var logs testhelp.SyncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	addr, _ := fakeRedis(t, "6.2.14")
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	v, err := glossiwebhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	h := v.Middleware(glossiwebhook.Deduplicate(redisdedup.New(rdb, ""), http.NotFoundHandler()))
	rec := httptest.NewRecorder()
	body := testhelp.Delivery(t)
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(logs.String(), "needs Redis 7.0+ (found 6.2.14)") {
		t.Errorf("Redis 6: %d, log %q; want 503 and the version in the log", rec.Code, logs.String())
	}
}

// fakeRedis serves, until the test ends, what a Redis of version answers to a claim: its INFO
// server, "ERR syntax error" to SET, and "ERR unknown command" to anything else (the client's
// HELLO included, after which it speaks RESP2). It returns its address and the count of the
// INFO commands it answered.
func fakeRedis(t *testing.T, version string) (string, *atomic.Int32) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var infos atomic.Int32
	info := "# Server\r\nredis_mode:standalone\r\n"
	if version != "" {
		info += "redis_version:" + version + "\r\n"
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					args, err := readCommand(r)
					if err != nil {
						return
					}
					reply := "-ERR unknown command\r\n"
					switch strings.ToUpper(args[0]) {
					case "INFO":
						infos.Add(1)
						reply = fmt.Sprintf("$%d\r\n%s\r\n", len(info), info)
					case "SET":
						reply = "-ERR syntax error\r\n"
					}
					if _, err := io.WriteString(conn, reply); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), &infos
}

// readCommand reads one command of the Redis protocol: an array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line := func(prefix string) (int, error) {
		s, err := r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(strings.TrimPrefix(strings.TrimSuffix(s, "\r\n"), prefix))
	}
	n, err := line("*")
	if err != nil || n < 1 {
		return nil, fmt.Errorf("not a command: %v", err)
	}
	args := make([]string, n)
	for i := range args {
		size, err := line("$")
		if err != nil {
			return nil, err
		}
		arg := make([]byte, size+2)
		if _, err := io.ReadFull(r, arg); err != nil {
			return nil, err
		}
		args[i] = string(arg[:size])
	}
	return args, nil
}

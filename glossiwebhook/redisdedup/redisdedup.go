// Package redisdedup is a glossiwebhook.Deduper on Redis, for a receiver
// that runs as several replicas: a delivery is handled once whichever replica
// receives it, and Glossi's retry of a failed delivery is handled by any of
// them.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	d := redisdedup.New(rdb, "")
//	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(d, handler)))
//
// A claim is one Redis key per delivery holding a random token, taken with
// one command, SET key token NX GET PX lease (Redis 7.0 or later): it
// answers nil when it took the key, "done" when the delivery was handled,
// or another claim's token. The replica that crashes while handling a
// delivery holds it no longer than the lease (glossiwebhook.WithLease).
// After a 2xx, Done replaces the token with a "done" marker that expires
// after the dedup TTL (glossiwebhook.WithDedupTTL). After a failure, Release
// deletes the key only if it still holds the claim's token (compared and
// deleted in one Lua script), so a handler that outlived its lease never
// drops the claim taken since, on this replica or another. The Deduper
// keeps no state of its own but the version of a server that refused a claim.
//
// When Redis cannot be reached, Claim fails and Deduplicate answers 503 and
// logs it: Glossi retries later, and no delivery is handled unchecked. A
// server older than 7.0 refuses every claim ("ERR syntax error"); Claim then
// asks its version, once, and says so: "needs Redis 7.0+ (found 6.2.14)". Set
// the client's timeouts (redis.Options DialTimeout, ReadTimeout) well under the
// time Glossi waits for an answer (glossiwebhook's package doc, "Glossi's retries"). A Claim that timed out on the
// client may still have run on the server: its claim then holds the delivery
// until the lease ends, and Glossi's retries get 409 until then.
//
// Redis is then part of the receiver's correctness: a FLUSHALL, a restart
// without persistence or an eviction forgets which deliveries were handled,
// and their copies are handled again. Run it with persistence and with
// maxmemory-policy noeviction (the example receiver's README shows how).
package redisdedup

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// DefaultPrefix is the prefix of the Redis keys New uses when given "".
const DefaultPrefix = "glossiwebhook:delivery:"

const doneMarker = "done"

// releaseScript deletes the key only if it holds the caller's token.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Deduper is a glossiwebhook.Deduper on Redis. Make it with New; it is safe
// for concurrent use.
type Deduper struct {
	rdb    redis.UniversalClient
	prefix string
	// tooOld is, once the first error reply of a claim has made Claim ask
	// the server's version, that version if it is older than 7.0, else "";
	// nil until then. A Redis 6 refuses every claim: asked once, not once a
	// delivery.
	tooOld atomic.Pointer[string]
}

var _ glossiwebhook.Deduper = (*Deduper)(nil)

// New returns a Deduper that keeps its claims in Redis through rdb (a
// *redis.Client, *redis.ClusterClient or *redis.Ring), under keys starting
// with prefix (DefaultPrefix if ""). Replicas that share deliveries must use
// the same Redis and the same prefix. Redis must be 7.0 or later.
func New(rdb redis.UniversalClient, prefix string) *Deduper {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Deduper{rdb: rdb, prefix: prefix}
}

// Claim takes the delivery key for lease, atomically across replicas, with
// one SET NX GET.
func (d *Deduper) Claim(ctx context.Context, key string, lease time.Duration) (glossiwebhook.ClaimStatus, string, error) {
	token := "claim:" + rand.Text() // never equals doneMarker
	held, err := d.rdb.Do(ctx, "SET", d.prefix+key, token, "NX", "GET", "PX", max(lease.Milliseconds(), 1)).Text()
	switch {
	case errors.Is(err, redis.Nil):
		return glossiwebhook.Claimed, token, nil
	case err != nil:
		return 0, "", fmt.Errorf("redisdedup: claim: %w", d.explain(ctx, err))
	case held == doneMarker:
		return glossiwebhook.AlreadyDone, "", nil
	default:
		return glossiwebhook.InProgress, "", nil
	}
}

// Done marks the delivery key handled for ttl, whoever holds its claim.
func (d *Deduper) Done(ctx context.Context, key, _ string, ttl time.Duration) error {
	if err := d.rdb.Set(ctx, d.prefix+key, doneMarker, ttl).Err(); err != nil {
		return fmt.Errorf("redisdedup: done: %w", err)
	}
	return nil
}

// Release drops the claim of the delivery key if token still holds it: a
// claim whose lease ended and that was taken since is left alone.
func (d *Deduper) Release(ctx context.Context, key, token string) error {
	if token == "" {
		return nil
	}
	if err := releaseScript.Run(ctx, d.rdb, []string{d.prefix + key}, token).Err(); err != nil {
		return fmt.Errorf("redisdedup: release: %w", err)
	}
	return nil
}

// explain adds its likely cause to an error reply of the server: a Redis older than 7.0 refuses
// SET ... NX GET. Network errors are returned as they are.
func (d *Deduper) explain(ctx context.Context, err error) error {
	var reply redis.Error
	if !errors.As(err, &reply) {
		return err
	}
	tooOld := d.tooOld.Load()
	if tooOld == nil {
		info, infoErr := d.rdb.Info(ctx, "server").Result()
		if infoErr != nil {
			return err // asked again on the next refusal
		}
		version := olderThan7(info)
		tooOld = &version
		d.tooOld.Store(tooOld)
	}
	if *tooOld != "" {
		return fmt.Errorf("needs Redis 7.0+ (found %s): %w", *tooOld, err)
	}
	return err
}

// olderThan7 returns the redis_version of INFO server's answer if it is older than 7.0, else "".
func olderThan7(info string) string {
	for line := range strings.Lines(info) {
		version, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:")
		if !ok {
			continue
		}
		major, _, _ := strings.Cut(version, ".")
		if n, err := strconv.Atoi(major); err == nil && n < 7 {
			return version
		}
	}
	return ""
}

// Package redisdedup is a glossiwebhook.Deduper on Redis, for a receiver
// that runs as several replicas: a delivery is handled once whichever replica
// receives it, and Glossi's retry of a failed delivery is handled by any of
// them.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	d := redisdedup.New(rdb, "")
//	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(d, handler)))
//
// A claim is one Redis key per delivery holding a random token, set
// atomically with the lease as its expiry: the replica that crashes while
// handling a delivery holds it no longer than the lease (glossiwebhook.WithLease).
// After a 2xx, Done replaces the token with a "done" marker that expires after
// the dedup TTL (glossiwebhook.WithDedupTTL). After a failure, Release deletes
// the key only if it still holds this Deduper's token, so a late Release never
// drops another replica's claim.
//
// When Redis cannot be reached, Claim fails and Deduplicate answers 503 and
// logs it: Glossi retries later, and no delivery is handled unchecked. Set
// the client's timeouts (redis.Options DialTimeout, ReadTimeout) well under the
// 30 seconds Glossi waits for an answer.
package redisdedup

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// DefaultPrefix is the prefix of the Redis keys New uses when given "".
const DefaultPrefix = "glossiwebhook:delivery:"

const doneMarker = "done"

// claimScript takes the key for the lease unless it is done or claimed:
// 0 Claimed, 1 AlreadyDone, 2 InProgress (as glossiwebhook.ClaimStatus).
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 0
end
if v == ARGV[3] then return 1 end
return 2
`)

// releaseScript deletes the key only if it holds the caller's token.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Deduper is a glossiwebhook.Deduper on Redis. Make it with New; it is safe
// for concurrent use. Each replica makes its own: it remembers the tokens of
// the claims it holds.
type Deduper struct {
	rdb    redis.UniversalClient
	prefix string

	mu     sync.Mutex
	tokens map[string]string // delivery key -> token of this Deduper's claim
}

var _ glossiwebhook.Deduper = (*Deduper)(nil)

// New returns a Deduper that keeps its claims in Redis through rdb (a
// *redis.Client, *redis.ClusterClient or *redis.Ring), under keys starting
// with prefix (DefaultPrefix if ""). Replicas that share deliveries must use
// the same Redis and the same prefix.
func New(rdb redis.UniversalClient, prefix string) *Deduper {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Deduper{rdb: rdb, prefix: prefix, tokens: make(map[string]string)}
}

// Claim takes the delivery key for lease, atomically across replicas.
func (d *Deduper) Claim(ctx context.Context, key string, lease time.Duration) (glossiwebhook.ClaimStatus, error) {
	token := "claim:" + rand.Text() // never equals doneMarker
	n, err := claimScript.Run(ctx, d.rdb, []string{d.prefix + key}, token, max(lease.Milliseconds(), 1), doneMarker).Int()
	if err != nil {
		return 0, fmt.Errorf("redisdedup: claim: %w", err)
	}
	status := glossiwebhook.ClaimStatus(n)
	if status == glossiwebhook.Claimed {
		d.mu.Lock()
		d.tokens[key] = token
		d.mu.Unlock()
	}
	return status, nil
}

// Done marks the delivery key handled for ttl, whoever holds its claim.
func (d *Deduper) Done(ctx context.Context, key string, ttl time.Duration) error {
	d.forget(key)
	if err := d.rdb.Set(ctx, d.prefix+key, doneMarker, ttl).Err(); err != nil {
		return fmt.Errorf("redisdedup: done: %w", err)
	}
	return nil
}

// Release drops this Deduper's claim of the delivery key, if it still holds
// it: a claim whose lease ended and that another replica took is left alone.
func (d *Deduper) Release(ctx context.Context, key string) error {
	token := d.forget(key)
	if token == "" {
		return nil
	}
	if err := releaseScript.Run(ctx, d.rdb, []string{d.prefix + key}, token).Err(); err != nil {
		return fmt.Errorf("redisdedup: release: %w", err)
	}
	return nil
}

// forget removes and returns the token of this Deduper's claim of key.
func (d *Deduper) forget(key string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	token := d.tokens[key]
	delete(d.tokens, key)
	return token
}

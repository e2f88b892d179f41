package glossiwebhook

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// NewMemoryDeduper returns a Deduper for one process, holding at most
// capacity deliveries (100,000 if capacity < 1): those claimed and those
// handled within their TTL. It never forgets a delivery before its TTL
// ends: when full, Claim fails, so Deduplicate answers 503 and Glossi
// retries later, until entries expire. Size it for the deliveries you
// receive in one TTL (65 minutes by default); an entry takes about 200
// bytes. It forgets everything on restart, and replicas do not share it.
func NewMemoryDeduper(capacity int) Deduper {
	if capacity < 1 {
		capacity = 100_000
	}
	return &memoryDeduper{capacity: capacity, entries: make(map[string]memoryEntry), now: time.Now, epoch: time.Now()}
}

// memoryDeduper keeps its entries by value in a map, and the order in which
// they expire in a queue swept lazily: each call drops the expired entries
// at the head of the queue, and a full deduper sweeps the whole map once
// before it refuses a claim.
type memoryDeduper struct {
	mu       sync.Mutex
	capacity int
	entries  map[string]memoryEntry
	queue    expiryQueue
	seq      uint64 // numbers the claims: a claim's token
	now      func() time.Time
	epoch    time.Time // expiries are durations since epoch
}

type memoryEntry struct {
	expires time.Duration
	token   string // of the claim; "" once done
}

func (e memoryEntry) done() bool { return e.token == "" }

func (m *memoryDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error) {
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.sweep()
	if e, ok := m.entries[key]; ok && e.expires > now {
		if e.done() {
			return AlreadyDone, "", nil
		}
		return InProgress, "", nil
	}
	m.seq++
	token := strconv.FormatUint(m.seq, 36)
	if err := m.put(key, memoryEntry{expires: now + lease, token: token}); err != nil {
		return 0, "", err
	}
	return Claimed, token, nil
}

// Done marks key done whoever holds its claim: the handler did its work.
func (m *memoryDeduper) Done(_ context.Context, key, _ string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.sweep()
	return m.put(key, memoryEntry{expires: now + ttl})
}

// Release drops the claim of key only if token still holds it.
func (m *memoryDeduper) Release(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok && token != "" && e.token == token {
		delete(m.entries, key)
	}
	return nil
}

// put stores e under key, unless key is new and the deduper is full of
// live entries.
func (m *memoryDeduper) put(key string, e memoryEntry) error {
	if _, ok := m.entries[key]; !ok && len(m.entries) >= m.capacity {
		m.sweepAll()
		if len(m.entries) >= m.capacity {
			return fmt.Errorf("glossiwebhook: memory deduper full: %d deliveries within their TTL (see NewMemoryDeduper)", m.capacity)
		}
	}
	m.entries[key] = e
	m.queue.push(queued{key: key, expires: e.expires})
	return nil
}

// sweep drops the expired entries at the head of the queue and returns the
// time now. A queued expiry that no longer matches its entry was replaced
// (Done, a new claim) and is skipped.
func (m *memoryDeduper) sweep() time.Duration {
	now := m.now().Sub(m.epoch)
	for {
		q, ok := m.queue.head()
		if !ok || q.expires > now {
			return now
		}
		m.queue.pop()
		if e, ok := m.entries[q.key]; ok && e.expires == q.expires {
			delete(m.entries, q.key)
		}
	}
}

// sweepAll drops every expired entry, including those queued behind an
// entry that expires later (a claim's lease queued after a done marker's
// TTL), and rebuilds the queue.
func (m *memoryDeduper) sweepAll() {
	now := m.now().Sub(m.epoch)
	m.queue.reset()
	for key, e := range m.entries {
		if e.expires <= now {
			delete(m.entries, key)
			continue
		}
		m.queue.push(queued{key: key, expires: e.expires})
	}
}

type queued struct {
	key     string
	expires time.Duration
}

// expiryQueue is a FIFO of expiries in a slice that is reused once
// drained, so that a steady flow of deliveries does not allocate.
type expiryQueue struct {
	items []queued
	first int
}

func (q *expiryQueue) push(x queued) {
	if q.first > 0 && q.first >= len(q.items)/2 {
		n := copy(q.items, q.items[q.first:])
		clear(q.items[n:])
		q.items, q.first = q.items[:n], 0
	}
	q.items = append(q.items, x)
}

func (q *expiryQueue) head() (queued, bool) {
	if q.first == len(q.items) {
		return queued{}, false
	}
	return q.items[q.first], true
}

func (q *expiryQueue) pop() {
	q.items[q.first] = queued{}
	q.first++
}

func (q *expiryQueue) reset() {
	clear(q.items)
	q.items, q.first = q.items[:0], 0
}

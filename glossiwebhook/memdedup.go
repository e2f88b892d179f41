package glossiwebhook

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// NewMemoryDeduper returns a Deduper for one process, holding capacity
// deliveries (100,000 if capacity < 1): those claimed and those handled
// within their TTL. It never forgets a delivery before its TTL ends: when
// full, Claim fails, so Deduplicate answers 503 and Glossi retries later,
// until entries expire. Done always records a handled delivery, even past
// capacity (a handler that outlived its lease may find its entry swept), so
// the excess is bounded by the handlers in flight. Size it for the
// deliveries you receive in one TTL (65 minutes by default); an entry takes
// about 200 bytes. It forgets everything on restart, and replicas do not
// share it.
func NewMemoryDeduper(capacity int) Deduper {
	if capacity < 1 {
		capacity = 100_000
	}
	return &memoryDeduper{capacity: capacity, entries: make(map[string]memoryEntry), now: time.Now, epoch: time.Now()}
}

// memoryDeduper keeps its entries by value in a map, and their keys in a
// queue swept lazily: each Claim looks at a few keys at the head of the
// queue, drops those expired and puts the others back at the tail, so the
// whole queue is swept every few claims per entry. An entry costs no
// allocation of its own; a claim allocates its token. A full deduper
// sweeps the whole map, at most once a second, before it refuses a claim.
type memoryDeduper struct {
	mu       sync.Mutex
	capacity int
	entries  map[string]memoryEntry
	queue    expiryQueue
	seq      uint64 // numbers entries and claims; a claim's token is its number
	now      func() time.Time
	epoch    time.Time     // times are durations since epoch
	sweptAll time.Duration // when sweepAll last ran
	hasSwept bool
}

// sweepStep is how many queued keys each Claim looks at: more than the one
// key a Claim or a Done may add, so the sweep keeps up.
const sweepStep = 3

type memoryEntry struct {
	expires time.Duration
	seq     uint64 // the entry's queued record carries it too
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
	e, ok := m.entries[key]
	if ok && e.expires > now {
		if e.done() {
			return AlreadyDone, "", nil
		}
		return InProgress, "", nil
	}
	if !ok {
		if err := m.makeRoom(now); err != nil {
			return 0, "", err
		}
		e = m.newEntry(key)
	}
	e.expires, e.token = now+lease, strconv.FormatUint(m.seq, 36)
	m.seq++
	m.entries[key] = e
	return Claimed, e.token, nil
}

// Done marks key done whoever holds its claim: the handler did its work.
// It never fails: if the claim's lease ended and its entry was swept, Done
// adds the entry back even past capacity, since refusing would let a copy
// be handled again. Only a handler that claimed calls Done, so the handlers
// in flight bound the excess; Claim refuses new keys until it is gone.
func (m *memoryDeduper) Done(_ context.Context, key, _ string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now().Sub(m.epoch)
	e, ok := m.entries[key]
	if !ok {
		e = m.newEntry(key)
	}
	e.expires, e.token = now+ttl, ""
	m.entries[key] = e
	return nil
}

// Release drops the claim of key only if token still holds it.
func (m *memoryDeduper) Release(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok && token != "" && e.token == token {
		delete(m.entries, key) // its queued record is dropped when swept
	}
	return nil
}

// newEntry queues a record for a new entry of key and returns the entry.
func (m *memoryDeduper) newEntry(key string) memoryEntry {
	m.seq++
	m.queue.push(queued{key: key, seq: m.seq})
	return memoryEntry{seq: m.seq}
}

// makeRoom fails if the deduper holds capacity live entries.
func (m *memoryDeduper) makeRoom(now time.Duration) error {
	if len(m.entries) < m.capacity {
		return nil
	}
	if !m.hasSwept || now-m.sweptAll >= time.Second {
		m.sweepAll(now)
	}
	if len(m.entries) >= m.capacity {
		return fmt.Errorf("glossiwebhook: memory deduper full: %d deliveries within their TTL (see NewMemoryDeduper)", m.capacity)
	}
	return nil
}

// sweep looks at sweepStep records at the head of the queue and returns
// the time now. A record whose entry was released or replaced is dropped,
// an expired entry too, and a live one goes back to the tail.
func (m *memoryDeduper) sweep() time.Duration {
	now := m.now().Sub(m.epoch)
	for range sweepStep {
		q, ok := m.queue.pop()
		if !ok {
			break
		}
		e, ok := m.entries[q.key]
		switch {
		case !ok || e.seq != q.seq:
		case e.expires <= now:
			delete(m.entries, q.key)
		default:
			m.queue.push(q)
		}
	}
	return now
}

// sweepAll drops every expired entry and rebuilds the queue.
func (m *memoryDeduper) sweepAll(now time.Duration) {
	m.sweptAll, m.hasSwept = now, true
	m.queue.reset()
	for key, e := range m.entries {
		if e.expires <= now {
			delete(m.entries, key)
			continue
		}
		m.queue.push(queued{key: key, seq: e.seq})
	}
}

type queued struct {
	key string
	seq uint64
}

// expiryQueue is a FIFO of keys in a slice whose drained head is reused,
// so that a steady flow of deliveries does not allocate.
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

func (q *expiryQueue) pop() (queued, bool) {
	if q.first == len(q.items) {
		return queued{}, false
	}
	x := q.items[q.first]
	q.items[q.first] = queued{}
	q.first++
	return x, true
}

func (q *expiryQueue) len() int { return len(q.items) - q.first }

func (q *expiryQueue) reset() {
	clear(q.items)
	q.items, q.first = q.items[:0], 0
}

package glossiwebhook

import (
	"context"
	"sync"
	"time"
)

// A Deduper remembers deliveries, so that a delivery Glossi sends more than
// once (it retries, and may deliver twice) is handled once. Implement it
// over a shared store (Redis SET NX PX, a database unique key) when several
// instances receive webhooks; NewMemoryDeduper serves a single process.
type Deduper interface {
	// Seen records key for ttl and reports whether it was already recorded
	// and not expired. It must be atomic: of two concurrent calls with a
	// new key, exactly one reports false. An error means the answer is
	// unknown; the Verifier then refuses the delivery with ErrDeduper, so
	// that Glossi retries later.
	Seen(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// A Forgetter is a Deduper that can drop a key again. Middleware uses it
// when the wrapped handler fails (answers a non-2xx status or panics), so
// that Glossi's retry of that delivery is handled instead of being taken for
// a duplicate. The Deduper of NewMemoryDeduper implements it.
type Forgetter interface {
	Forget(ctx context.Context, key string) error
}

// DefaultMemoryDeduperCapacity is the capacity NewMemoryDeduper uses when
// given a capacity below 1.
const DefaultMemoryDeduperCapacity = 10000

// NewMemoryDeduper returns an in-memory Deduper holding at most capacity
// keys (DefaultMemoryDeduperCapacity if capacity < 1). When full, it evicts
// the oldest key. Keys expire after the ttl given to Seen (never, for a ttl
// of zero or less). It is safe for concurrent use and also implements
// Forgetter. It remembers deliveries for one process only, and forgets them
// on restart.
func NewMemoryDeduper(capacity int) Deduper {
	if capacity < 1 {
		capacity = DefaultMemoryDeduperCapacity
	}
	return &memoryDeduper{
		capacity: capacity,
		entries:  make(map[string]*memoryEntry),
		now:      time.Now,
	}
}

type memoryDeduper struct {
	mu         sync.Mutex
	capacity   int
	entries    map[string]*memoryEntry
	head, tail *memoryEntry // oldest and newest insertion
	now        func() time.Time
}

type memoryEntry struct {
	key        string
	expires    time.Time // zero: never
	prev, next *memoryEntry
}

func (e *memoryEntry) live(now time.Time) bool {
	return e.expires.IsZero() || now.Before(e.expires)
}

func (m *memoryDeduper) Seen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := m.now()
	var expires time.Time
	if ttl > 0 {
		expires = now.Add(ttl)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	// Drop expired keys at the old end.
	for m.head != nil && !m.head.live(now) {
		m.remove(m.head)
	}
	if e, ok := m.entries[key]; ok {
		if e.live(now) {
			return true, nil
		}
		m.remove(e)
	}
	e := &memoryEntry{key: key, expires: expires, prev: m.tail}
	if m.tail != nil {
		m.tail.next = e
	} else {
		m.head = e
	}
	m.tail = e
	m.entries[key] = e
	for len(m.entries) > m.capacity {
		m.remove(m.head)
	}
	return false, nil
}

// Forget drops key, so that the next Seen of it reports false.
func (m *memoryDeduper) Forget(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok {
		m.remove(e)
	}
	return nil
}

func (m *memoryDeduper) remove(e *memoryEntry) {
	delete(m.entries, e.key)
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		m.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		m.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (m *memoryDeduper) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

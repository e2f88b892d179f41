package glossiwebhook

import (
	"container/heap"
	"context"
	"fmt"
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
	return &memoryDeduper{capacity: capacity, entries: make(map[string]*memoryEntry), now: time.Now}
}

type memoryDeduper struct {
	mu       sync.Mutex
	capacity int
	entries  map[string]*memoryEntry
	expiry   expiryHeap
	now      func() time.Time
}

type memoryEntry struct {
	key     string
	expires time.Time
	done    bool
	index   int // in expiry
}

func (m *memoryDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.prune(now)
	if e, ok := m.entries[key]; ok {
		if e.done {
			return AlreadyDone, nil
		}
		return InProgress, nil
	}
	if err := m.add(key, now.Add(lease), false); err != nil {
		return 0, err
	}
	return Claimed, nil
}

func (m *memoryDeduper) Done(_ context.Context, key string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.prune(now)
	e, ok := m.entries[key]
	if !ok {
		return m.add(key, now.Add(ttl), true)
	}
	e.done, e.expires = true, now.Add(ttl)
	heap.Fix(&m.expiry, e.index)
	return nil
}

func (m *memoryDeduper) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok && !e.done {
		heap.Remove(&m.expiry, e.index)
		delete(m.entries, key)
	}
	return nil
}

func (m *memoryDeduper) add(key string, expires time.Time, done bool) error {
	if len(m.entries) >= m.capacity {
		return fmt.Errorf("glossiwebhook: memory deduper full: %d deliveries within their TTL (see NewMemoryDeduper)", m.capacity)
	}
	e := &memoryEntry{key: key, expires: expires, done: done}
	heap.Push(&m.expiry, e)
	m.entries[key] = e
	return nil
}

// prune drops the entries whose lease or TTL has ended.
func (m *memoryDeduper) prune(now time.Time) {
	for len(m.expiry) > 0 && !now.Before(m.expiry[0].expires) {
		e, _ := heap.Pop(&m.expiry).(*memoryEntry)
		delete(m.entries, e.key)
	}
}

// expiryHeap orders entries by expiry, soonest first.
type expiryHeap []*memoryEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *expiryHeap) Push(x any) {
	e, _ := x.(*memoryEntry)
	e.index = len(*h)
	*h = append(*h, e)
}

func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}

package glossiwebhook

import (
	"container/heap"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// heapDeduper is the memory deduper as it was before the by-value rewrite
// (commit 8920c12, glossiwebhook/memdedup.go: entries by pointer in a map
// and an expiry heap), with the one change the v1 interface needs: a claim
// returns a token, which Release must match. BenchmarkMemoryDeduper
// measures the deduper against it.
type heapDeduper struct {
	mu       sync.Mutex
	capacity int
	entries  map[string]*heapEntry
	expiry   expiryHeap
	seq      uint64
	now      func() time.Time
}

type heapEntry struct {
	key     string
	expires time.Time
	done    bool
	token   string
	index   int // in expiry
}

func newHeapDeduper(capacity int, now func() time.Time) *heapDeduper {
	return &heapDeduper{capacity: capacity, entries: make(map[string]*heapEntry), now: now}
}

func (m *heapDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error) {
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.prune(now)
	if e, ok := m.entries[key]; ok {
		if e.done {
			return AlreadyDone, "", nil
		}
		return InProgress, "", nil
	}
	m.seq++
	token := strconv.FormatUint(m.seq, 36)
	if err := m.add(key, now.Add(lease), false, token); err != nil {
		return 0, "", err
	}
	return Claimed, token, nil
}

func (m *heapDeduper) Done(_ context.Context, key, _ string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.prune(now)
	e, ok := m.entries[key]
	if !ok {
		return m.add(key, now.Add(ttl), true, "")
	}
	e.done, e.expires = true, now.Add(ttl)
	heap.Fix(&m.expiry, e.index)
	return nil
}

func (m *heapDeduper) Release(_ context.Context, key, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok && !e.done && e.token == token {
		heap.Remove(&m.expiry, e.index)
		delete(m.entries, key)
	}
	return nil
}

func (m *heapDeduper) add(key string, expires time.Time, done bool, token string) error {
	if len(m.entries) >= m.capacity {
		return fmt.Errorf("glossiwebhook: memory deduper full: %d deliveries within their TTL (see NewMemoryDeduper)", m.capacity)
	}
	e := &heapEntry{key: key, expires: expires, done: done, token: token}
	heap.Push(&m.expiry, e)
	m.entries[key] = e
	return nil
}

// prune drops the entries whose lease or TTL has ended.
func (m *heapDeduper) prune(now time.Time) {
	for len(m.expiry) > 0 && !now.Before(m.expiry[0].expires) {
		e, _ := heap.Pop(&m.expiry).(*heapEntry)
		delete(m.entries, e.key)
	}
}

// expiryHeap orders entries by expiry, soonest first.
type expiryHeap []*heapEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *expiryHeap) Push(x any) {
	e, _ := x.(*heapEntry)
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

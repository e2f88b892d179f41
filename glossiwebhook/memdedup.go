package glossiwebhook

import (
	"context"
	"crypto/sha256"
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
// deliveries you receive in one TTL (WithDedupTTL); an entry takes
// about 100 bytes. It forgets everything on restart, and replicas do not
// share it.
func NewMemoryDeduper(capacity int) Deduper {
	if capacity < 1 {
		capacity = 100_000
	}
	return &memoryDeduper{capacity: capacity, entries: make(map[memoryKey]memoryEntry), now: time.Now, epoch: time.Now()}
}

// memoryDeduper keeps its entries by value in a map keyed by 16 of the 32
// bytes a DedupKey encodes, so that no lookup follows a pointer to a key
// and the map stays small enough to be cached, and queues
// a record of each done mark in a FIFO per TTL: with one TTL and a clock
// that only moves on, a FIFO is in expiry order, and each Claim drops the
// few records at its head that have expired, each looked up once. Claims
// are not queued: Deduplicate ends each with Done or Release, and a claim
// whose lease has ended counts as absent; one that nothing ended stays
// until a full deduper sweeps the whole map, which it does at most once a
// second before it refuses a claim. An entry costs no allocation of its
// own; a claim allocates its token.
type memoryDeduper struct {
	mu       sync.Mutex
	capacity int
	entries  map[memoryKey]memoryEntry
	queues   []expiryQueue // one per TTL; at most maxQueues
	seq      uint64        // numbers records and claims; a claim's token is its number
	now      func() time.Time
	epoch    time.Time     // times are durations since epoch
	sweptAll time.Duration // when sweepAll last ran
	hasSwept bool
}

// memoryKey is the first half of a DedupKey decoded from hex (the HMAC's
// first 128 bits: two deliveries share one with odds of 1 in 2^128), or of
// the SHA-256 of another key.
type memoryKey [16]byte

type memoryEntry struct {
	expires time.Duration
	seq     uint64 // the claim's number with claimed set, or the done mark's record's
}

// claimed marks the seq of an entry claimed and not done.
const claimed = 1 << 63

func (e memoryEntry) done() bool { return e.seq&claimed == 0 }

const (
	// sweepStep is how many expired records each queue drops per Claim:
	// more than the one record a delivery adds, so the sweep keeps up
	// after a pause.
	sweepStep = 4
	// maxQueues bounds the queues: TTLs past the first few share the last
	// queue, whose records may then wait behind longer ones (their entries
	// expire on time; only their removal waits).
	maxQueues = 4
)

func (m *memoryDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error) {
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	k := keyOf(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.sweep()
	e, ok := m.entries[k]
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
	}
	m.seq++
	m.entries[k] = memoryEntry{expires: now + lease, seq: m.seq | claimed}
	return Claimed, strconv.FormatUint(m.seq, 10), nil
}

// Done marks key done whoever holds its claim: the handler did its work.
// It never fails: if the claim's lease ended and its entry was swept, Done
// adds the entry back even past capacity, since refusing would let a copy
// be handled again. Only a handler that claimed calls Done, so the handlers
// in flight bound the excess; Claim refuses new keys until it is gone.
func (m *memoryDeduper) Done(_ context.Context, key, _ string, ttl time.Duration) error {
	k := keyOf(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now().Sub(m.epoch)
	m.seq++
	m.entries[k] = memoryEntry{expires: now + ttl, seq: m.seq}
	m.queue(ttl).push(queued{key: k, seq: m.seq, expires: now + ttl})
	return nil
}

// Release drops the claim of key only if token still holds it.
func (m *memoryDeduper) Release(_ context.Context, key, token string) error {
	claim, err := strconv.ParseUint(token, 10, 64)
	if err != nil || claim == 0 || claim&claimed != 0 {
		return nil // not a token of this deduper: it holds nothing
	}
	k := keyOf(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[k]; ok && e.seq == claim|claimed {
		delete(m.entries, k)
	}
	return nil
}

// keyOf returns the map key of a Deduper key: the first 16 of the 32 bytes
// of a DedupKey (64 lowercase hex digits), or else of the key's SHA-256.
func keyOf(key string) memoryKey {
	var k memoryKey
	if len(key) != 64 || !lowercaseHex(key) {
		sum := sha256.Sum256([]byte(key))
		return memoryKey(sum[:len(k)])
	}
	for i := range k {
		k[i] = lowerHex[key[2*i]]<<4 | lowerHex[key[2*i+1]]
	}
	return k
}

func lowercaseHex(s string) bool {
	var bad byte
	for i := range len(s) {
		bad |= lowerHex[s[i]]
	}
	return bad <= 0xf
}

// lowerHex maps a lowercase hex digit to its value, anything else to 0xff.
var lowerHex = func() (t [256]byte) {
	for c := range t {
		switch {
		case '0' <= c && c <= '9':
			t[c] = byte(c - '0')
		case 'a' <= c && c <= 'f':
			t[c] = byte(c - 'a' + 10)
		default:
			t[c] = 0xff
		}
	}
	return t
}()

// queue returns the FIFO of the records of done marks that expire after d.
func (m *memoryDeduper) queue(d time.Duration) *expiryQueue {
	for i := range m.queues {
		if m.queues[i].duration == d {
			return &m.queues[i]
		}
	}
	if len(m.queues) == maxQueues {
		return &m.queues[maxQueues-1]
	}
	m.queues = append(m.queues, expiryQueue{duration: d})
	return &m.queues[len(m.queues)-1]
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

// sweep drops up to sweepStep expired records at the head of each queue,
// with their entries unless a later record replaced them, and returns the
// time now.
func (m *memoryDeduper) sweep() time.Duration {
	now := m.now().Sub(m.epoch)
	for i := range m.queues {
		q := &m.queues[i]
		for range sweepStep {
			r, ok := q.peek()
			if !ok || r.expires > now {
				break
			}
			q.pop()
			if e, ok := m.entries[r.key]; ok && e.seq == r.seq {
				delete(m.entries, r.key)
			}
		}
	}
	return now
}

// sweepAll drops every expired entry; their records are dropped when they
// reach the head of their queue.
func (m *memoryDeduper) sweepAll(now time.Duration) {
	m.sweptAll, m.hasSwept = now, true
	for k, e := range m.entries {
		if e.expires <= now {
			delete(m.entries, k)
		}
	}
}

// queued is a record of a done mark: it expires when the entry would,
// unless a later claim or done mark (seq) replaced it.
type queued struct {
	key     memoryKey
	seq     uint64
	expires time.Duration
}

// expiryQueue is a FIFO of records in a ring buffer that grows by doubling
// and shrinks by half when a quarter full, so that a steady flow of
// deliveries neither allocates nor copies.
type expiryQueue struct {
	duration    time.Duration
	items       []queued // len is a power of two, or 0
	head, count int
}

func (q *expiryQueue) push(x queued) {
	if q.count == len(q.items) {
		q.resize(max(2*len(q.items), 8))
	}
	q.items[(q.head+q.count)&(len(q.items)-1)] = x
	q.count++
}

func (q *expiryQueue) peek() (queued, bool) {
	if q.count == 0 {
		return queued{}, false
	}
	return q.items[q.head], true
}

func (q *expiryQueue) pop() {
	q.items[q.head] = queued{}
	q.head = (q.head + 1) & (len(q.items) - 1)
	q.count--
	if len(q.items) > 8 && q.count <= len(q.items)/4 {
		q.resize(len(q.items) / 2)
	}
}

// resize moves the records, in order, to a ring of n.
func (q *expiryQueue) resize(n int) {
	items := make([]queued, n)
	for i := range q.count {
		items[i] = q.items[(q.head+i)&(len(q.items)-1)]
	}
	q.items, q.head = items, 0
}

func (q *expiryQueue) len() int { return q.count }

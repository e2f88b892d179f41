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
// the excess is bounded by the handlers in flight. An expired entry counts
// until it is swept: a full deduper sweeps them all, at most once a second,
// before it refuses. Size it for the deliveries you receive in one TTL
// (WithDedupTTL); an entry takes 32 bytes, in a table of three to six slots
// for each entry it held when it last grew, which does not shrink by
// itself. It forgets everything on restart, and
// replicas do not share it.
func NewMemoryDeduper(capacity int) Deduper {
	if capacity < 1 {
		capacity = 100_000
	}
	start := time.Now()
	return &memoryDeduper{
		capacity: capacity,
		table:    newEntryTable(),
		elapsed:  func() time.Duration { return time.Since(start) },
		sweptAll: -time.Second,
	}
}

// memoryDeduper keeps its entries by value in an entryTable keyed by 16 of
// the 32 bytes a DedupKey encodes, and each Claim sweeps a few of its slots
// in order, dropping the expired entries it reads. An expired entry, a
// claim whose lease ended included, counts as absent to Claim. An entry
// costs no allocation of its own; a claim allocates its token.
type memoryDeduper struct {
	mu       sync.Mutex
	capacity int
	table    entryTable
	seq      uint64 // numbers claims; a claim's token is its number
	elapsed  func() time.Duration
	sweptAll time.Duration // when sweepAll last ran
}

// claimed marks the seq of an entry claimed and not done, and doneMark is
// the seq of a done one: no claim's token matches it.
const (
	claimed  = 1 << 63
	doneMark = 1
)

func (e memoryEntry) done() bool { return e.seq&claimed == 0 }

// sweepStep is how many slots each Claim sweeps. A table of n slots is
// swept whole about every n/sweepStep claims, so about n/sweepStep expired
// entries wait in it at most. It grows when half full, to at least three slots for
// each live entry: n/3 live and n/8 waiting never make it grow.
const sweepStep = 8

func (m *memoryDeduper) Claim(ctx context.Context, key string, lease time.Duration) (ClaimStatus, string, error) {
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	k := keyOf(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.elapsed()
	m.table.sweep(now, sweepStep)
	m.sweepAllIfFull(now)
	i, found := m.table.find(k)
	if e := m.table.slots[i]; found && e.expires > now {
		if e.done() {
			return AlreadyDone, "", nil
		}
		return InProgress, "", nil
	}
	if !found && m.table.used >= m.capacity {
		return 0, "", fmt.Errorf("glossiwebhook: memory deduper full: %d deliveries within their TTL (see NewMemoryDeduper)", m.capacity)
	}
	m.seq++
	m.table.set(i, found, k, memoryEntry{expires: now + lease, seq: m.seq | claimed}, now)
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
	now := m.elapsed()
	i, found := m.table.find(k)
	m.table.set(i, found, k, memoryEntry{expires: now + ttl, seq: doneMark}, now)
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
	if i, found := m.table.find(k); found && m.table.slots[i].seq == claim|claimed {
		m.table.removeAt(i)
	}
	return nil
}

// keyOf returns the table key of a Deduper key: the first 16 of the 32
// bytes of a DedupKey (64 lowercase hex digits), or else of the key's
// SHA-256.
func keyOf(key string) memoryKey {
	var k memoryKey
	if len(key) == 2*2*len(k) {
		var bad, badTail byte
		for i := range k {
			hi, lo := lowerHex[key[2*i]], lowerHex[key[2*i+1]]
			k[i] = hi<<4 | lo
			bad |= hi | lo
			badTail |= lowerHex[key[2*len(k)+2*i]] | lowerHex[key[2*len(k)+2*i+1]]
		}
		if bad|badTail <= 0xf {
			return k
		}
	}
	sum := sha256.Sum256([]byte(key))
	return memoryKey(sum[:len(k)])
}

// lowerHex maps a lowercase hex digit to its value, anything else to 0xff.
// Unlike hexValue, it takes no uppercase digit: the other dedupers compare
// keys as strings, so "AB..." and "ab..." are two keys in every one.
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

// sweepAllIfFull drops every expired entry of a full deduper, at most
// once a second.
func (m *memoryDeduper) sweepAllIfFull(now time.Duration) {
	if m.table.used >= m.capacity && now-m.sweptAll >= time.Second {
		m.sweptAll = now
		m.table.sweepAll(now)
	}
}

package glossiwebhook

import (
	"hash/maphash"
	"time"
)

// entryTable holds the memory deduper's entries by value in one array,
// found by open addressing with linear probing: a lookup reads one cache
// line, where a Go map reads a group's control word and then, usually on
// another line, the slot. A removal shifts the rest of its run back, so
// that no tombstone is left. Expired entries are removed by a sweep that
// walks the array in order, a few slots per call: reading memory in order
// costs little, where removing each entry when it expires would cost a
// lookup in a random place, a cache miss once the table outgrows the cache.
type entryTable struct {
	slots  []slot // len is a power of two; at most half are used
	used   int
	seed   maphash.Seed
	cursor int // the next slot the sweep reads
}

// memoryKey is the first half of a DedupKey decoded from hex (the HMAC's
// first 128 bits: two deliveries share one with odds of 1 in 2^128), or of
// the SHA-256 of another key.
type memoryKey [16]byte

type memoryEntry struct {
	expires time.Duration // since the deduper was made
	seq     uint64        // the claim's number with claimed set, or doneMark
}

type slot struct {
	key memoryKey
	memoryEntry
}

// empty reports whether a slot holds no entry: an entry's seq is never 0.
func (s *slot) empty() bool { return s.seq == 0 }

const minTableSlots = 64

func newEntryTable() entryTable {
	return entryTable{slots: make([]slot, minTableSlots), seed: maphash.MakeSeed()}
}

// home is where a key's probe starts. Keys are hashed with a seed of the
// table's own, so that keys chosen to share a start cannot build a long run.
func (t *entryTable) home(k memoryKey) int {
	return int(maphash.Comparable(t.seed, k)) & (len(t.slots) - 1)
}

// find returns the slot of k, or the empty slot where k would go.
func (t *entryTable) find(k memoryKey) (i int, found bool) {
	mask := len(t.slots) - 1
	for i = t.home(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.empty() {
			return i, false
		}
		if s.key == k {
			return i, true
		}
	}
}

// set puts e in slot i, which find(k) returned, as the entry of k. A new
// entry that would fill more than half of the table makes it grow first,
// dropping the entries expired at now.
func (t *entryTable) set(i int, found bool, k memoryKey, e memoryEntry, now time.Duration) {
	if !found {
		if 2*(t.used+1) > len(t.slots) {
			t.resize(now)
			i, _ = t.find(k)
		}
		t.used++
	}
	t.slots[i] = slot{key: k, memoryEntry: e}
}

// removeAt empties slot i and moves back each later entry of its run that
// a probe from its home would no longer reach.
func (t *entryTable) removeAt(i int) {
	mask := len(t.slots) - 1
	t.used--
	for j := (i + 1) & mask; !t.slots[j].empty(); j = (j + 1) & mask {
		if h := t.home(t.slots[j].key); (j-h)&mask >= (j-i)&mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = slot{}
}

// sweep reads up to n slots from the cursor on and removes the entries
// expired at now. A removal can move a later entry into the slot read, so
// the cursor stays there to read it.
func (t *entryTable) sweep(now time.Duration, n int) {
	mask, i := len(t.slots)-1, t.cursor
	for range n {
		if s := &t.slots[i]; s.empty() || s.expires > now {
			i = (i + 1) & mask
		} else {
			t.removeAt(i)
		}
	}
	t.cursor = i
}

// sweepAll removes every entry expired at now.
func (t *entryTable) sweepAll(now time.Duration) {
	t.cursor = 0
	t.sweep(now, len(t.slots)+t.used)
}

// resize moves the entries live at now to a table with at least three
// slots for each, which grows again only after a sixth of it is filled.
func (t *entryTable) resize(now time.Duration) {
	old := t.slots
	live := 0
	for i := range old {
		if !old[i].empty() && old[i].expires > now {
			live++
		}
	}
	n := minTableSlots
	for n < 3*(live+1) {
		n *= 2
	}
	t.slots, t.used, t.cursor = make([]slot, n), 0, 0
	for i := range old {
		if s := old[i]; !s.empty() && s.expires > now {
			j, _ := t.find(s.key)
			t.slots[j] = s
			t.used++
		}
	}
}

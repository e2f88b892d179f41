package glossiwebhook

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// The table against a map: whatever runs of colliding keys puts, removes,
// sweeps and growth leave behind, it holds every live entry the map holds,
// finds each where it is, and drops only expired ones.
func TestEntryTable_matchesAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]memoryKey, 120)
	for i := range keys {
		for j := range keys[i] {
			keys[i][j] = byte(rng.Uint32())
		}
	}
	table, want := newEntryTable(), map[memoryKey]memoryEntry{}
	var now time.Duration
	for step := range 50_000 {
		k := keys[rng.IntN(len(keys))]
		switch op := rng.IntN(10); {
		case op < 5:
			e := memoryEntry{expires: now + time.Duration(1+rng.IntN(60)), seq: uint64(step + 1)}
			i, found := table.find(k)
			table.set(i, found, k, e, now)
			want[k] = e
		case op < 7:
			if i, found := table.find(k); found {
				table.removeAt(i)
				delete(want, k)
			}
		case op < 9:
			table.sweep(now, sweepStep)
		default:
			now += time.Duration(rng.IntN(4))
		}
		if step%97 == 0 {
			table.sweepAll(now)
			checkNoneExpired(t, &table, now)
		}
		checkTable(t, &table, want, now)
	}
}

// A table that grows keeps only the live entries, in three to six slots
// for each.
func TestEntryTable_growsForTheLiveEntries(t *testing.T) {
	table := newEntryTable()
	const now = time.Hour
	for i := range 1000 {
		k := memoryKey{byte(i), byte(i >> 8)}
		e := memoryEntry{expires: now + time.Duration(i%2), seq: uint64(i + 1)} // every other one expires at now
		j, found := table.find(k)
		table.set(j, found, k, e, now-time.Second)
	}
	live := table.used
	table.resize(now)
	if table.used != 500 || live != 1000 {
		t.Fatalf("%d entries before the resize, %d after; want 1000 and the 500 live", live, table.used)
	}
	if n := len(table.slots); n < 3*500 || n > 6*500 {
		t.Fatalf("%d slots for 500 entries", n)
	}
	checkNoneExpired(t, &table, now)
}

func checkNoneExpired(t *testing.T, table *entryTable, now time.Duration) {
	t.Helper()
	for i := range table.slots {
		if s := &table.slots[i]; !s.empty() && s.expires <= now {
			t.Fatalf("slot %d holds an entry expired at %v", i, s.expires)
		}
	}
}

// checkTable fails unless the table holds exactly the entries of want that
// it has not dropped, dropped only expired ones (forgetting them in want),
// and finds each entry in its slot.
func checkTable(t *testing.T, table *entryTable, want map[memoryKey]memoryEntry, now time.Duration) {
	t.Helper()
	for k, e := range want {
		i, found := table.find(k)
		switch {
		case found && table.slots[i].memoryEntry != e:
			t.Fatalf("entry %+v, want %+v", table.slots[i].memoryEntry, e)
		case !found && e.expires > now:
			t.Fatalf("a live entry (expires %v, now %v) is gone", e.expires, now)
		case !found:
			delete(want, k)
		}
	}
	used := 0
	for i := range table.slots {
		if s := &table.slots[i]; !s.empty() {
			used++
			if j, _ := table.find(s.key); j != i {
				t.Fatalf("the entry in slot %d is found at %d", i, j)
			}
			if _, ok := want[s.key]; !ok {
				t.Fatalf("slot %d holds an entry nothing put", i)
			}
		}
	}
	if used != table.used || used != len(want) || 2*used > len(table.slots) {
		t.Fatalf("%d slots of %d used, %d counted, %d wanted", used, len(table.slots), table.used, len(want))
	}
}

// The deduper against a model of its contract, with the clock moving a
// second or more at a time so that a full deduper may always sweep: Claim
// answers from the live entries alone, and refuses a new key exactly when
// capacity live entries are held.
func TestMemoryDeduper_matchesItsContract(t *testing.T) {
	for _, seed := range []uint64{7, 11} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { checkContract(t, rand.New(rand.NewPCG(seed, 4))) })
	}
}

func checkContract(t *testing.T, rng *rand.Rand) {
	type held struct {
		expires time.Time
		done    bool
		token   string
	}
	ctx := context.Background()
	d, now := newTestMemoryDeduper(40)
	model := map[string]held{}
	live := func() int {
		n := 0
		for _, h := range model {
			if h.expires.After(*now) {
				n++
			}
		}
		return n
	}
	for range 400_000 {
		key := fmt.Sprint("k", rng.IntN(100))
		h, ok := model[key]
		ok = ok && h.expires.After(*now)
		switch rng.IntN(4) {
		case 0:
			if rng.IntN(8) == 0 {
				*now = now.Add(time.Duration(1+rng.IntN(30)) * time.Second)
			}
		case 1:
			want := Claimed
			switch {
			case ok && h.done:
				want = AlreadyDone
			case ok:
				want = InProgress
			}
			lease := time.Duration(1+rng.IntN(60)) * time.Second
			got, token, err := d.Claim(ctx, key, lease)
			if !ok && live() >= 40 {
				if err == nil {
					t.Fatalf("Claim(%s) on a full deduper = %v", key, got)
				}
				continue
			}
			if err != nil || got != want {
				t.Fatalf("Claim(%s) = %v, %v; want %v (%d live)", key, got, err, want, live())
			}
			if got == Claimed {
				model[key] = held{expires: now.Add(lease), token: token}
			}
		case 2:
			if ok && !h.done {
				ttl := time.Duration(1+rng.IntN(120)) * time.Second
				if err := d.Done(ctx, key, h.token, ttl); err != nil {
					t.Fatal(err)
				}
				model[key] = held{expires: now.Add(ttl), done: true}
			}
		default:
			if ok && !h.done {
				if err := d.Release(ctx, key, h.token); err != nil {
					t.Fatal(err)
				}
				delete(model, key)
			}
		}
	}
}

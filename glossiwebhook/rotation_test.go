package glossiwebhook

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWithPreviousSecret_acceptedUntilTheDeadline(t *testing.T) {
	now := testNow
	until := testNow.Add(time.Hour)
	v, err := NewVerifier(testSecret, WithPreviousSecret("old", until), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	body := seedBody()
	for _, at := range []time.Time{testNow, until.Add(-time.Nanosecond)} {
		now = at
		if err := v.Verify(body, Sign(body, "old")); err != nil {
			t.Fatalf("previous secret at %s: %v", at, err)
		}
	}
	for _, at := range []time.Time{until, until.Add(time.Hour)} {
		now = at
		if err := v.Verify(body, Sign(body, "old")); !errors.Is(err, ErrSignatureMismatch) {
			t.Fatalf("previous secret at %s (deadline %s): %v, want a mismatch", at, until, err)
		}
		if err := v.Verify(body, Sign(body, testSecret)); err != nil {
			t.Fatalf("current secret at %s: %v", at, err)
		}
	}
}

func TestSetSecrets(t *testing.T) {
	v := newTestVerifier(t)
	body := seedBody()
	accepts := func(secret string) bool { return v.Verify(body, Sign(body, secret)) == nil }

	if err := v.SetSecrets("new", testSecret, testNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !accepts("new") || !accepts(testSecret) || accepts("other") {
		t.Fatal("after a rotation: want the new and the previous secret accepted, no other")
	}
	if err := v.SetSecrets("newer", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if !accepts("newer") || accepts("new") || accepts(testSecret) {
		t.Fatal("without a previous secret: want only the current one accepted")
	}
	// A refused call changes nothing.
	for _, bad := range []struct{ current, previous string }{
		{"", ""}, {"newest\n", ""}, {"newest", "old\x1b[0m"}, {"No outputs found", ""},
	} {
		err := v.SetSecrets(bad.current, bad.previous, testNow.Add(time.Hour))
		if !errors.Is(err, ErrInvalidSecret) {
			t.Fatalf("SetSecrets(%q, %q) = %v, want ErrInvalidSecret", bad.current, bad.previous, err)
		}
		if !accepts("newer") || accepts("newest") {
			t.Fatal("a refused SetSecrets changed the secrets")
		}
	}
	if err := v.SetSecrets("newest", "newer", time.Time{}); !errors.Is(err, ErrInvalidSecret) || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("previous secret without a deadline: %v", err)
	}
}

// Deliveries keep flowing while the secrets rotate: a delivery signed with
// the secret published when it was sent is accepted as long as at most one
// rotation happened since, and a delivery signed with a secret never
// published is refused. Run with -race.
func TestSetSecrets_concurrentRotationUnderLoad(t *testing.T) {
	secret := func(gen int64) string { return fmt.Sprintf("whsec_gen_%d", gen) }
	v, err := NewVerifier(secret(0))
	if err != nil {
		t.Fatal(err)
	}
	// gen is the published generation, stored after SetSecrets; begun is the generation being
	// installed, stored before it. A delivery signed with generation g may be refused once
	// generation g+2 is installed, which begun shows at once and gen only later.
	var gen, begun atomic.Int64
	stop := make(chan struct{})
	var rotations sync.WaitGroup
	rotations.Go(func() {
		for g := int64(1); ; g++ {
			select {
			case <-stop:
				return
			default:
			}
			begun.Store(g)
			if err := v.SetSecrets(secret(g), secret(g-1), time.Now().Add(time.Hour)); err != nil {
				t.Error(err)
				return
			}
			gen.Store(g)
			time.Sleep(200 * time.Microsecond)
		}
	})
	var senders sync.WaitGroup
	var accepted, tolerated atomic.Int64
	deadline := time.Now().Add(10 * time.Second)
	for s := range 4 {
		senders.Go(func() {
			// At least 2000 deliveries each, and on until 20 rotations happened (a loaded
			// machine may schedule the rotating goroutine rarely), within the deadline.
			for i := 0; i < 2000 || (gen.Load() < 20 && time.Now().Before(deadline)); i++ {
				body := fmt.Appendf(nil, `{"event":"job.failed","timestamp":"%s","n":"%d-%d"}`, testTS, s, i)
				g := gen.Load()
				err := v.Verify(body, Sign(body, secret(g)))
				switch {
				case err == nil:
					accepted.Add(1)
				case begun.Load()-g > 1:
					tolerated.Add(1) // two rotations overtook this delivery
				default:
					t.Errorf("delivery signed with generation %d refused at generation %d: %v", g, begun.Load(), err)
					return
				}
				if err := v.Verify(body, Sign(body, "never-published")); !errors.Is(err, ErrSignatureMismatch) {
					t.Errorf("unknown secret: %v", err)
					return
				}
			}
		})
	}
	senders.Wait()
	close(stop)
	rotations.Wait()
	if gen.Load() < 10 || accepted.Load() == 0 {
		t.Fatalf("%d rotations, %d accepted: the test did not exercise rotation", gen.Load(), accepted.Load())
	}
	t.Logf("%d rotations, %d accepted, %d overtaken by two rotations", gen.Load(), accepted.Load(), tolerated.Load())
}

package glossiwebhook

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

const fuzzPrevious = "previous-secret"

var sentinels = []error{
	ErrMissingSignature, ErrMalformedSignature, ErrSignatureMismatch, ErrBodyTooLarge,
	ErrTimestampOutOfRange, ErrInvalidPayload,
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// signedBy reports whether sig, as Verify reads it, is the signature of body
// under secret.
func signedBy(body []byte, sig, secret string) bool {
	return strings.EqualFold(strings.TrimSpace(sig), Sign(body, secret))
}

func addFuzzSeeds(f *testing.F) {
	body := seedBody()
	f.Add(body, Sign(body, testSecret), false)
	f.Add(body, "", true)
	f.Add(body, strings.ToUpper(Sign(body, fuzzPrevious)), false)
	f.Add(body, "sha256="+Sign(body, testSecret), false)
	f.Add([]byte{}, Sign(nil, testSecret), false)
	f.Add([]byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00Z","data":{"jobId":"x"}}`), "", true)
	f.Add([]byte(`{"event":"x","timestamp":"2025-01-15T10:59:59.999999999+00:30"}`), "", true)
	f.Add([]byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00Z","data":{"jobId":"x"}} `), "", true)
	f.Add([]byte(`[]`), "", true)
	f.Add([]byte("{\"event\":\"\xff\",\"timestamp\":\"2025-01-15T10:30:00Z\"}"), "", true)
}

// FuzzVerify checks that Verify never panics and accepts a signature only if
// it is the HMAC of the body under the current or the previous secret.
func FuzzVerify(f *testing.F) {
	addFuzzSeeds(f)
	v, err := NewVerifier(testSecret, WithPreviousSecret(fuzzPrevious, testNow.Add(time.Hour)), WithClock(fixedClock))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, sig string, sign bool) {
		if sign {
			sig = Sign(body, testSecret)
		}
		err := v.Verify(body, sig)
		valid := signedBy(body, sig, testSecret) || signedBy(body, sig, fuzzPrevious)
		if err == nil && !valid {
			t.Fatalf("Verify accepted a signature that is not the body's: body %q sig %q", body, sig)
		}
		if err != nil && valid {
			t.Fatalf("Verify refused a valid signature: %v", err)
		}
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			assertNoLeak(t, "error", err.Error(), body, testSecret, fuzzPrevious)
		}
	})
}

// FuzzParse checks that Parse never panics, never accepts a body that was
// not signed, and returns a consistent event for one that was.
func FuzzParse(f *testing.F) {
	addFuzzSeeds(f)
	v, err := NewVerifier(testSecret, WithPreviousSecret(fuzzPrevious, testNow.Add(time.Hour)), WithClock(fixedClock), WithMaxBodyBytes(4096))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, sig string, sign bool) {
		if sign {
			sig = Sign(body, testSecret)
		}
		ev, err := v.Parse(body, sig)
		valid := signedBy(body, sig, testSecret) || signedBy(body, sig, fuzzPrevious)
		if err != nil {
			if ev != nil {
				t.Fatalf("event %+v returned with %v", ev, err)
			}
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			assertNoLeak(t, "error", err.Error(), body, testSecret, fuzzPrevious)
			if valid && (errors.Is(err, ErrSignatureMismatch) || errors.Is(err, ErrMalformedSignature)) {
				t.Fatalf("valid signature refused: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("Parse accepted an unsigned body: %q sig %q", body, sig)
		}
		if ev.Type == "" || !bytes.Equal(ev.Raw, body) {
			t.Fatalf("inconsistent event %+v", ev)
		}
		if d := ev.Timestamp.Sub(testNow); d < -time.Hour || d > 5*time.Minute {
			t.Fatalf("timestamp %v outside the window", ev.Timestamp)
		}
		_, _ = decodeTyped(ev)
	})
}

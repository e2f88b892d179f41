package glossiwebhook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSign(t *testing.T) {
	// RFC 4231 test case 2.
	got := Sign([]byte("what do ya want for nothing?"), "Jefe")
	want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if len(Sign(nil, "k")) != SignatureLength {
		t.Fatalf("signature length is not %d", SignatureLength)
	}
}

func TestNewVerifier_options(t *testing.T) {
	later := testNow.Add(time.Hour)
	tests := []struct {
		name    string
		secret  string
		opts    []Option
		wantErr error // nil: success; errAny: some error
	}{
		{name: "ok", secret: "s"},
		{name: "empty secret", secret: "", wantErr: ErrInvalidSecret},
		{name: "empty previous", secret: "s", opts: []Option{WithPreviousSecret("", later)}, wantErr: ErrInvalidSecret},
		{name: "previous without deadline", secret: "s", opts: []Option{WithPreviousSecret("old", time.Time{})}, wantErr: ErrInvalidSecret},
		{name: "previous twice", secret: "s", opts: []Option{WithPreviousSecret("a", later), WithPreviousSecret("b", later)}, wantErr: errAny},
		{name: "empty secret with previous", secret: "", opts: []Option{WithPreviousSecret("old", later)}, wantErr: ErrInvalidSecret},
		{name: "previous ok", secret: "s", opts: []Option{WithPreviousSecret("a", later)}},
		{name: "zero read timeout", secret: "s", opts: []Option{WithReadTimeout(0)}, wantErr: errAny},
		{name: "negative past", secret: "s", opts: []Option{WithTolerance(-time.Second, 0)}, wantErr: errAny},
		{name: "negative future", secret: "s", opts: []Option{WithTolerance(0, -time.Second)}, wantErr: errAny},
		{name: "zero tolerance", secret: "s", opts: []Option{WithTolerance(0, 0)}},
		{name: "nil clock", secret: "s", opts: []Option{WithClock(nil)}, wantErr: errAny},
		{name: "zero max body", secret: "s", opts: []Option{WithMaxBodyBytes(0)}, wantErr: errAny},
		{name: "negative max body", secret: "s", opts: []Option{WithMaxBodyBytes(-1)}, wantErr: errAny},
		{name: "nil option", secret: "s", opts: []Option{nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(tt.secret, tt.opts...)
			switch tt.wantErr {
			case nil:
				if err != nil || v == nil {
					t.Fatalf("NewVerifier = %v, %v; want a verifier", v, err)
				}
			case errAny:
				if err == nil {
					t.Fatal("NewVerifier succeeded, want an error")
				}
			default:
				if !errors.Is(err, tt.wantErr) || v != nil {
					t.Fatalf("NewVerifier = %v, %v; want %v", v, err, tt.wantErr)
				}
			}
		})
	}
}

var errAny = errors.New("any error")

func TestVerify(t *testing.T) {
	body := seedBody()
	sig := Sign(body, testSecret)
	other := Sign(body, "another secret")
	v := newTestVerifier(t)
	tests := []struct {
		name    string
		body    []byte
		sig     string
		wantErr error
	}{
		{"lowercase", body, sig, nil},
		{"uppercase", body, strings.ToUpper(sig), nil},
		{"mixed case", body, strings.ToUpper(sig[:10]) + sig[10:], nil},
		{"surrounding spaces", body, "  " + sig + " ", nil},
		{"surrounding tab and newline", body, "\t" + sig + "\r\n", nil},
		{"empty", body, "", ErrMissingSignature},
		{"whitespace only", body, " \t ", ErrMissingSignature},
		{"sha256= prefix", body, "sha256=" + sig, ErrMalformedSignature},
		{"SHA256= prefix", body, "SHA256=" + sig, ErrMalformedSignature},
		{"63 chars", body, sig[:63], ErrMalformedSignature},
		{"65 chars", body, sig + "0", ErrMalformedSignature},
		{"short", body, "abc", ErrMalformedSignature},
		{"128 chars", body, sig + sig, ErrMalformedSignature},
		{"inner space", body, sig[:32] + " " + sig[33:], ErrMalformedSignature},
		{"non-hex g", body, "g" + sig[1:], ErrMalformedSignature},
		{"non-hex last", body, sig[:63] + "z", ErrMalformedSignature},
		{"base64 of the mac", body, "r9syZmtVq0T50GBl7L3vpfS+pqbEBlxiVgatflXIh4s=", ErrMalformedSignature},
		{"fullwidth digits", body, strings.Repeat("０", 64), ErrMalformedSignature},
		{"NUL bytes", body, strings.Repeat("\x00", 64), ErrMalformedSignature},
		{"all zeros", body, strings.Repeat("0", 64), ErrSignatureMismatch},
		{"other secret", body, other, ErrSignatureMismatch},
		{"one bit flipped", body, flipNibble(sig), ErrSignatureMismatch},
		{"body with trailing newline", append(append([]byte{}, body...), '\n'), sig, ErrSignatureMismatch},
		{"body one byte changed", []byte(strings.Replace(string(body), "READY", "READZ", 1)), sig, ErrSignatureMismatch},
		{"empty body", nil, sig, ErrSignatureMismatch},
		{"empty body signed", nil, Sign(nil, testSecret), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Verify(tt.body, tt.sig)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Verify = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify = %v, want %v", err, tt.wantErr)
			}
			assertNoLeak(t, "error", err.Error(), tt.body, testSecret)
			assertNoLeak(t, "error", err.Error(), body, testSecret)
		})
	}
}

func flipNibble(sig string) string {
	b := []byte(sig)
	if b[10] == '0' {
		b[10] = '1'
	} else {
		b[10] = '0'
	}
	return string(b)
}

func TestVerify_prefixErrorExplains(t *testing.T) {
	v := newTestVerifier(t)
	body := seedBody()
	err := v.Verify(body, "sha256="+Sign(body, testSecret))
	if err == nil || !strings.Contains(err.Error(), "sha256=") {
		t.Fatalf("error %v should explain that the sha256= prefix is not Glossi's format", err)
	}
}

// A malformed signature is refused before any HMAC is computed: the pool of
// keyed hashes below panics if it is ever asked for one.
func TestVerify_malformedComputesNoHMAC(t *testing.T) {
	ks := &keyState{}
	ks.pool.New = func() any { panic("an HMAC was computed") }
	v := &Verifier{now: fixedClock, maxBody: DefaultMaxBodyBytes, past: time.Hour, future: time.Minute}
	v.secrets.Store(&secretSet{current: ks})
	body := seedBody()
	for _, sig := range []string{"", " ", "abc", "sha256=" + Sign(body, testSecret), strings.Repeat("x", 64), Sign(body, testSecret) + "00"} {
		err := v.Verify(body, sig)
		if !errors.Is(err, ErrMalformedSignature) && !errors.Is(err, ErrMissingSignature) {
			t.Errorf("Verify(%q) = %v", sig, err)
		}
		if _, err := v.Parse(body, sig); err == nil {
			t.Errorf("Parse(%q) succeeded", sig)
		}
	}
}

func TestVerify_rotation(t *testing.T) {
	body := seedBody()
	v := newTestVerifier(t, WithPreviousSecret("old-1", testNow.Add(time.Hour)))
	for _, sec := range []string{testSecret, "old-1"} {
		if err := v.Verify(body, Sign(body, sec)); err != nil {
			t.Errorf("signed with %s: %v", sec, err)
		}
	}
	for _, sec := range []string{"old-2", "OLD-1", "old-1 ", testSecret + "x"} {
		err := v.Verify(body, Sign(body, sec))
		if !errors.Is(err, ErrSignatureMismatch) {
			t.Errorf("signed with %q: %v, want mismatch", sec, err)
		}
		assertNoLeak(t, "error", err.Error(), body, testSecret, "old-1")
	}
	// A verifier of the old secret alone refuses the new one.
	oldOnly, err := NewVerifier("old-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := oldOnly.Verify(body, Sign(body, testSecret)); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("old-only verifier accepted the new secret: %v", err)
	}
}

func TestVerify_concurrent(t *testing.T) {
	v := newTestVerifier(t, WithPreviousSecret("old", testNow.Add(time.Hour)))
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			var err error
			for i := range 200 {
				body := fmt.Appendf(nil, "body %d %d", g, i)
				sec := testSecret
				if i%2 == 1 {
					sec = "old"
				}
				if e := v.Verify(body, Sign(body, sec)); e != nil {
					err = e
				}
				if e := v.Verify(body, Sign(body, "nope")); !errors.Is(e, ErrSignatureMismatch) {
					err = fmt.Errorf("wrong secret accepted: %v", e)
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestVerify_zeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	v := newTestVerifier(t, WithPreviousSecret("old", testNow.Add(time.Hour)))
	body := seedBody()
	good := Sign(body, testSecret)
	old := Sign(body, "old")
	bad := flipNibble(good)
	for name, sig := range map[string]string{"current": good, "previous": old, "mismatch": bad, "malformed": "xyz"} {
		allocs := testing.AllocsPerRun(200, func() { _ = v.Verify(body, sig) })
		if allocs != 0 {
			t.Errorf("%s: Verify allocates %.1f times per call, want 0", name, allocs)
		}
	}
}

func TestDecodeSignature(t *testing.T) {
	var got [sha256.Size]byte
	if err := decodeSignature(&got, "00ff10AbcDeF"+strings.Repeat("0", 52)); err != nil {
		t.Fatal(err)
	}
	if got[0] != 0x00 || got[1] != 0xff || got[2] != 0x10 || got[3] != 0xab || got[4] != 0xcd || got[5] != 0xef {
		t.Fatalf("decoded %x", got[:6])
	}
}

func TestVerifier_StringHidesSecrets(t *testing.T) {
	v := newTestVerifier(t, WithPreviousSecret("previous-secret-value", testNow.Add(time.Hour)))
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		s := fmt.Sprintf(format, v)
		assertNoLeak(t, format, s, seedBody(), testSecret, "previous-secret-value")
		if strings.Contains(s, "whsec") {
			t.Errorf("%s: %q", format, s)
		}
	}
	if got := v.String(); !strings.Contains(got, "secret: "+Fingerprint(testSecret)+", previous: "+Fingerprint("previous-secret-value")+" until 2025-01-15T11:30:00Z") {
		t.Errorf("String() = %q", got)
	}
	var nilV *Verifier
	_ = nilV.String()
}

// decodeSignature agrees with encoding/hex on every input of 64 bytes.
func TestDecodeSignature_matchesHex(t *testing.T) {
	check := func(sig string) {
		t.Helper()
		var got [sha256.Size]byte
		err := decodeSignature(&got, sig)
		want, werr := hex.DecodeString(sig)
		if len(strings.TrimSpace(sig)) != len(sig) {
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: decodeSignature %v, hex %v", sig, err, werr)
		}
		if err == nil && string(got[:]) != string(want) {
			t.Fatalf("%q: %x, want %x", sig, got, want)
		}
	}
	base := []byte(strings.Repeat("0123456789abcdefABCDEF", 3)[:64])
	check(string(base))
	for pos := range 64 {
		for c := range 256 {
			b := append([]byte{}, base...)
			b[pos] = byte(c)
			check(string(b))
		}
	}
}

func FuzzDecodeSignature(f *testing.F) {
	f.Add(Sign(nil, "k"))
	f.Add(strings.Repeat("G", 64))
	f.Fuzz(func(t *testing.T, sig string) {
		var got [sha256.Size]byte
		err := decodeSignature(&got, sig)
		trimmed := strings.TrimSpace(sig)
		want, werr := hex.DecodeString(trimmed)
		ok := werr == nil && len(want) == sha256.Size
		if (err == nil) != ok {
			t.Fatalf("%q: decodeSignature %v, hex %v", sig, err, werr)
		}
		if ok && string(got[:]) != string(want) {
			t.Fatalf("%q: %x, want %x", sig, got, want)
		}
	})
}

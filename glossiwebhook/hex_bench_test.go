package glossiwebhook

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// decodeSignatureSWAR is the SWAR hex decoder this package used before v1,
// kept here only to show in BenchmarkDecodeSignature that the table decoder
// that replaced it is no slower.
func decodeSignatureSWAR(dst *[sha256.Size]byte, sig string) error {
	if len(sig) != SignatureLength {
		return errSigLength
	}
	src := sig
	var bad uint64
	for i := 0; i < SignatureLength/8; i++ {
		c := src[8*i : 8*i+8]
		// Eight hex characters, little-endian: c[0] is the lowest byte.
		x := uint64(c[0]) | uint64(c[1])<<8 | uint64(c[2])<<16 | uint64(c[3])<<24 |
			uint64(c[4])<<32 | uint64(c[5])<<40 | uint64(c[6])<<48 | uint64(c[7])<<56
		// Where a byte is an ASCII hex digit, its high bit in ok is set:
		// with x below 0x80 in every byte, x + (0x80-n) sets the high bit
		// where x >= n and x + (0x7f-n) where x > n, without carries
		// between bytes.
		ascii := ^x & hi1
		y := x &^ hi1
		digit := (y + (0x80-'0')*lo1) &^ (y + (0x7f-'9')*lo1)
		l := y | 0x20*lo1
		letter := (l + (0x80-'a')*lo1) &^ (l + (0x7f-'f')*lo1)
		bad |= ^((digit | letter) & ascii)
		// '0'-'9' are 0x30-0x39; 'A'-'F' and 'a'-'f' have bit 6 set and low
		// nibbles 1-6: value = low nibble + 9*bit6.
		v := x&lo4 + (x>>6)&lo1*9
		// Pack pairs of nibbles: the first character is the high nibble.
		p := (v&0x000f000f000f000f)<<4 | (v&0x0f000f000f000f00)>>8
		dst[4*i] = byte(p)
		dst[4*i+1] = byte(p >> 16)
		dst[4*i+2] = byte(p >> 32)
		dst[4*i+3] = byte(p >> 48)
	}
	if bad&hi1 != 0 {
		return errSigHex
	}
	return nil
}

const (
	lo1 = 0x0101010101010101
	lo4 = 0x0f0f0f0f0f0f0f0f
	hi1 = 0x8080808080808080
)

// BenchmarkDecodeSignature compares the table decoder with the SWAR one and
// encoding/hex. Compare them with benchstat -col /impl.
func BenchmarkDecodeSignature(b *testing.B) {
	sig := Sign([]byte("x"), "k")
	var dst [sha256.Size]byte
	impls := []struct {
		name   string
		decode func() error
	}{
		{"table", func() error { return decodeSignature(&dst, sig) }},
		{"SWAR", func() error { return decodeSignatureSWAR(&dst, sig) }},
		{"encodingHex", func() error { _, err := hex.Decode(dst[:], []byte(sig)); return err }},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name, func(b *testing.B) {
			for b.Loop() {
				if impl.decode() != nil {
					b.Fatal()
				}
			}
		})
	}
}

func TestDecodeSignatureSWAR_agreesWithTable(t *testing.T) {
	for _, sig := range []string{Sign(nil, "k"), "00ff10AbcDeF" + Sign(nil, "k")[12:], "g" + Sign(nil, "k")[1:]} {
		var a, b [sha256.Size]byte
		errA, errB := decodeSignature(&a, sig), decodeSignatureSWAR(&b, sig)
		if (errA == nil) != (errB == nil) || errA == nil && a != b {
			t.Fatalf("%q: table %x %v, SWAR %x %v", sig, a, errA, b, errB)
		}
	}
}

// BenchmarkVerifyDecoder measures whether the decoder matters where it is
// used: decoding a signature and checking a 64-byte body.
func BenchmarkVerifyDecoder(b *testing.B) {
	v, err := NewVerifier(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	body := benchBody(64)
	sig := Sign(body, testSecret)
	for _, impl := range []struct {
		name   string
		decode func(*[sha256.Size]byte, string) error
	}{{"table", decodeSignature}, {"SWAR", decodeSignatureSWAR}} {
		b.Run("impl="+impl.name, func(b *testing.B) {
			for b.Loop() {
				var want [sha256.Size]byte
				if impl.decode(&want, sig) != nil || v.verifyDecoded(body, &want) != nil {
					b.Fatal()
				}
			}
		})
	}
}

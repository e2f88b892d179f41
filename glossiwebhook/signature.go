package glossiwebhook

import (
	"fmt"
	"net/http"
	"strings"
)

var (
	errSigLength = fmt.Errorf("%w: want %d hex characters", ErrMalformedSignature, SignatureLength)
	errSigPrefix = fmt.Errorf("%w: want %d hex characters without a prefix (Glossi sends no \"sha256=\")", ErrMalformedSignature, SignatureLength)
	errSigHex    = fmt.Errorf("%w: not hexadecimal", ErrMalformedSignature)
)

// hexValue maps an ASCII hex digit, in either case, to its value and any
// other byte to 0xff.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
		t[strings.ToUpper(string(c))[0]] = byte(i)
	}
	return t
}()

// decodeSignature decodes a hex signature into dst without allocating. The
// signature comes from the request, so its decoding need not be
// constant-time; only the comparison with the expected HMAC must be.
func decodeSignature(dst *[32]byte, sig string) error {
	if len(sig) != SignatureLength {
		// A 64-byte string with surrounding whitespace is malformed anyway.
		sig = strings.TrimSpace(sig)
	}
	if sig == "" {
		return ErrMissingSignature
	}
	if len(sig) != SignatureLength {
		if len(sig) > 7 && strings.EqualFold(sig[:7], "sha256=") {
			return errSigPrefix
		}
		return errSigLength
	}
	var bad byte
	for i := range dst {
		hi, lo := hexValue[sig[2*i]], hexValue[sig[2*i+1]]
		bad |= hi | lo
		dst[i] = hi<<4 | lo
	}
	if bad&0xf0 != 0 {
		return errSigHex
	}
	return nil
}

func signatureFromHeader(h http.Header) (string, error) {
	vals := h.Values(SignatureHeader)
	switch len(vals) {
	case 0:
		return "", ErrMissingSignature
	case 1:
		if strings.TrimSpace(vals[0]) == "" {
			return "", ErrMissingSignature
		}
		return vals[0], nil
	default:
		return "", fmt.Errorf("%w: %d %s headers", ErrMalformedSignature, len(vals), SignatureHeader)
	}
}

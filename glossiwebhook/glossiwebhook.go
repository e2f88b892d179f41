package glossiwebhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// SignatureHeader is the HTTP header that carries a delivery's signature:
// the lowercase hex HMAC-SHA256 of the raw request body, keyed with the
// webhook secret.
const SignatureHeader = "X-Glossi-Signature"

// SignatureLength is the length, in characters, of a well-formed signature
// (64 hex characters, the encoding of a 32-byte HMAC-SHA256).
const SignatureLength = 2 * sha256.Size

// DefaultMaxBodyBytes is the largest body a Verifier reads unless
// WithMaxBodyBytes says otherwise (1 MiB).
const DefaultMaxBodyBytes int64 = 1 << 20

const fingerprintLength = 16

// Errors returned by this package. Test for them with errors.Is: the errors
// actually returned usually wrap one of these with more context.
var (
	// ErrEmptySecret is returned by NewVerifier when the current or a
	// previous secret is empty. An empty key would make every signature
	// forgeable, so it is refused rather than accepted.
	ErrEmptySecret = errors.New("glossiwebhook: empty webhook secret")

	// ErrMissingSignature means the delivery has no X-Glossi-Signature
	// header, or the header is empty.
	ErrMissingSignature = errors.New("glossiwebhook: missing " + SignatureHeader + " header")

	// ErrMalformedSignature means the signature is not 64 hex characters.
	// No HMAC is computed for such a signature.
	ErrMalformedSignature = errors.New("glossiwebhook: malformed signature")

	// ErrSignatureMismatch means the signature is well formed but was not
	// made with the current secret or any previous secret over these exact
	// body bytes.
	ErrSignatureMismatch = errors.New("glossiwebhook: signature mismatch")

	// ErrBodyTooLarge means the body is larger than the Verifier's limit
	// (see WithMaxBodyBytes).
	ErrBodyTooLarge = errors.New("glossiwebhook: request body too large")

	// ErrTimestampOutOfRange means the signature is valid but the body's
	// timestamp lies outside the accepted window (see WithTolerance): the
	// delivery is stale, a replay, or the clocks disagree.
	ErrTimestampOutOfRange = errors.New("glossiwebhook: timestamp out of range")

	// ErrDuplicate means the delivery is valid but the Verifier's Deduper
	// has already seen these exact body bytes. Parse returns the event
	// together with this error.
	ErrDuplicate = errors.New("glossiwebhook: duplicate delivery")

	// ErrInvalidPayload means the signature is valid but the body is not the
	// JSON object Glossi sends: it is not an object, or its event or
	// timestamp is missing or invalid. It is also returned when typed data
	// cannot be decoded.
	ErrInvalidPayload = errors.New("glossiwebhook: invalid payload")

	// ErrDeduper means the Deduper returned an error, so the Verifier could
	// not tell whether the delivery is a duplicate. The Deduper's own error
	// is wrapped too.
	ErrDeduper = errors.New("glossiwebhook: deduper failed")

	// ErrMethodNotAllowed is the error Middleware hands to its error
	// handler for a request whose method is not POST.
	ErrMethodNotAllowed = errors.New("glossiwebhook: method not allowed, deliveries are POST")

	// ErrWrongEventType is returned by Event.DecodeData and DataAs when the
	// typed payload asked for belongs to another event type.
	ErrWrongEventType = errors.New("glossiwebhook: payload type does not match event type")
)

// Fingerprint identifies secret without revealing it: the first 16 lowercase
// hex characters of the SHA-256 of the secret. It is the value of the
// glossi_webhook resource's secret_fingerprint attribute, so an operator can
// check that a receiver and the Terraform state hold the same secret without
// seeing either.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])[:fingerprintLength]
}

// Sign returns the signature Glossi sends for body: the lowercase hex
// HMAC-SHA256 of the exact body bytes, keyed with secret. Use it in tests
// and in senders (such as a local sandbox) to produce signed deliveries.
//
// Sign does not refuse an empty secret, but NewVerifier does, so a body
// signed with an empty secret is never accepted.
func Sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

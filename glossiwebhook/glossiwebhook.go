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
// actually returned wrap one of these with more context, never with a secret
// or a signature.
var (
	// ErrInvalidSecret is returned by NewVerifier and Verifier.SetSecrets
	// for a secret that cannot be a webhook secret: empty, or holding a
	// space, a control character or invalid UTF-8 (see NewVerifier).
	ErrInvalidSecret = errors.New("glossiwebhook: invalid webhook secret")

	// ErrMissingSignature means the delivery has no X-Glossi-Signature
	// header, or the header is empty.
	ErrMissingSignature = errors.New("glossiwebhook: missing " + SignatureHeader + " header")

	// ErrMalformedSignature means the signature is not 64 hex characters,
	// or the request has several signature headers. No HMAC is computed.
	ErrMalformedSignature = errors.New("glossiwebhook: malformed signature")

	// ErrSignatureMismatch means the signature is well formed but was not
	// made over these exact body bytes with the current secret, or with the
	// previous secret before its deadline.
	ErrSignatureMismatch = errors.New("glossiwebhook: signature mismatch")

	// ErrBodyTooLarge means the body is larger than the Verifier's limit
	// (see WithMaxBodyBytes).
	ErrBodyTooLarge = errors.New("glossiwebhook: request body too large")

	// ErrTimestampOutOfRange means the signature is valid but the body's
	// timestamp lies outside the accepted window (see WithTolerance): the
	// delivery is stale, a replay, or the clocks disagree.
	ErrTimestampOutOfRange = errors.New("glossiwebhook: timestamp out of range")

	// ErrInvalidPayload means the signature is valid but the body is not the
	// JSON object Glossi sends (its event or timestamp is missing or
	// invalid), or DataAs cannot decode the event's data into the type
	// asked for.
	ErrInvalidPayload = errors.New("glossiwebhook: invalid payload")
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
func Sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

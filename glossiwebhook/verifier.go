package glossiwebhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Default replay window: how far a delivery's timestamp may lie before or
// after the Verifier's clock (see WithTolerance).
const (
	// DefaultPastTolerance covers Glossi's retries: three retries after 1, 5
	// and 30 minutes (36 minutes in all), with room for queueing.
	DefaultPastTolerance = time.Hour
	// DefaultFutureTolerance allows for clock skew between Glossi and the
	// receiver.
	DefaultFutureTolerance = 5 * time.Minute
)

// Verifier verifies Glossi deliveries. Make one with NewVerifier at start-up
// and share it: it is safe for concurrent use.
type Verifier struct {
	keys       []*keyState // current secret first, then previous ones
	past       time.Duration
	future     time.Duration
	now        func() time.Time
	maxBody    int64
	deduper    Deduper
	dedupTTL   time.Duration
	errHandler func(w http.ResponseWriter, r *http.Request, err error)
}

// keyState holds the HMAC state keyed with one secret. The keyed inner and
// outer states are computed once per pooled hash; Reset restores them
// without touching the key again.
type keyState struct {
	pool sync.Pool // of *macState
	key  []byte
}

type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

func newKeyState(secret string) *keyState {
	ks := &keyState{key: []byte(secret)}
	ks.pool.New = func() any { return ks.newMAC() }
	ks.pool.Put(ks.newMAC()) // precompute one keyed state now
	return ks
}

func (ks *keyState) newMAC() *macState {
	return &macState{h: hmac.New(sha256.New, ks.key)}
}

type options struct {
	previous     []string
	past, future time.Duration
	now          func() time.Time
	maxBody      int64
	deduper      Deduper
	dedupTTL     time.Duration
	errHandler   func(w http.ResponseWriter, r *http.Request, err error)
}

// An Option configures a Verifier made by NewVerifier.
type Option func(*options) error

// WithPreviousSecrets makes the Verifier also accept deliveries signed with
// these secrets, for rotation: after Glossi issues a new secret, deploy it as
// the current secret with the old one here until deliveries signed with the
// old secret (including retries, up to about 40 minutes) have drained, then
// drop it. Each previous secret costs one more HMAC on a mismatching
// delivery. An empty secret is refused with ErrEmptySecret.
func WithPreviousSecrets(secrets ...string) Option {
	return func(o *options) error {
		for _, s := range secrets {
			if s == "" {
				return fmt.Errorf("%w: a previous secret is empty", ErrEmptySecret)
			}
		}
		o.previous = append(o.previous, secrets...)
		return nil
	}
}

// WithTolerance sets the replay window: a delivery whose timestamp is more
// than past before, or more than future after, the Verifier's clock is
// refused with ErrTimestampOutOfRange. The defaults are DefaultPastTolerance
// (1h, longer than Glossi's retry schedule) and DefaultFutureTolerance (5m).
// Negative durations are an error.
func WithTolerance(past, future time.Duration) Option {
	return func(o *options) error {
		if past < 0 || future < 0 {
			return errors.New("glossiwebhook: WithTolerance: negative tolerance")
		}
		o.past, o.future = past, future
		return nil
	}
}

// WithClock sets the clock the replay window is measured against. It is
// meant for tests; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("glossiwebhook: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithMaxBodyBytes sets the largest body ParseRequest, Middleware and Parse
// accept; larger ones fail with ErrBodyTooLarge (413 from Middleware). The
// default is DefaultMaxBodyBytes (1 MiB). n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return errors.New("glossiwebhook: WithMaxBodyBytes: limit must be positive")
		}
		o.maxBody = n
		return nil
	}
}

// WithDeduper turns on duplicate detection: after a delivery's signature and
// timestamp pass, Parse asks d whether its DedupKey was seen, and returns
// ErrDuplicate if so. Keys are remembered for WithDedupTTL, by default the
// whole replay window (past + future tolerance), after which the timestamp
// check refuses the body anyway. Deduplication is off by default; a nil d
// turns it off.
func WithDeduper(d Deduper) Option {
	return func(o *options) error {
		o.deduper = d
		return nil
	}
}

// WithDedupTTL sets how long the Deduper remembers a delivery. The default,
// and the shortest useful value, is the replay window (past + future
// tolerance). ttl must be positive.
func WithDedupTTL(ttl time.Duration) Option {
	return func(o *options) error {
		if ttl <= 0 {
			return errors.New("glossiwebhook: WithDedupTTL: ttl must be positive")
		}
		o.dedupTTL = ttl
		return nil
	}
}

// WithErrorHandler replaces how Middleware answers a delivery it refuses. h
// is called with the error (test it with errors.Is, or map it with
// HTTPStatus) and must write the response; use it to log refusals. The error
// never contains a secret or a signature. The default handler writes
// HTTPStatus(err) with a short plain-text body.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(o *options) error {
		o.errHandler = h
		return nil
	}
}

// NewVerifier returns a Verifier for deliveries signed with secret, the
// webhook secret Glossi returned when the webhook was created or updated.
// The secret is used exactly as given (it is not trimmed). An empty secret
// is refused with ErrEmptySecret, so a missing environment variable fails at
// start-up instead of accepting forgeries.
func NewVerifier(secret string, opts ...Option) (*Verifier, error) {
	if secret == "" {
		return nil, ErrEmptySecret
	}
	o := options{
		past:    DefaultPastTolerance,
		future:  DefaultFutureTolerance,
		now:     time.Now,
		maxBody: DefaultMaxBodyBytes,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	v := &Verifier{
		past:       o.past,
		future:     o.future,
		now:        o.now,
		maxBody:    o.maxBody,
		deduper:    o.deduper,
		dedupTTL:   o.dedupTTL,
		errHandler: o.errHandler,
	}
	if v.dedupTTL == 0 {
		v.dedupTTL = v.past + v.future
		if v.dedupTTL <= 0 {
			v.dedupTTL = time.Minute
		}
	}
	v.keys = append(v.keys, newKeyState(secret))
	for _, s := range o.previous {
		v.keys = append(v.keys, newKeyState(s))
	}
	return v, nil
}

// String describes the Verifier without revealing its secrets.
func (v *Verifier) String() string {
	if v == nil {
		return "glossiwebhook.Verifier(nil)"
	}
	return fmt.Sprintf("glossiwebhook.Verifier{secrets: %d, tolerance: -%s/+%s, maxBodyBytes: %d, dedup: %t}",
		len(v.keys), v.past, v.future, v.maxBody, v.deduper != nil)
}

// GoString is String, so that %#v does not print the Verifier's internals.
func (v *Verifier) GoString() string { return v.String() }

// Verify checks only the signature: that signature is the hex HMAC-SHA256 of
// the exact bytes of body under the current or a previous secret. It does
// not look inside the body, so it checks no timestamp and no duplicate; use
// Parse or ParseRequest for a full check.
//
// The signature must be 64 hex characters, in either case; surrounding
// whitespace is ignored. Anything else, including a "sha256=" prefix (which
// Glossi does not send), fails with ErrMalformedSignature without any HMAC
// being computed. An empty signature fails with ErrMissingSignature, a wrong
// one with ErrSignatureMismatch. The comparison is in constant time, and
// Verify does not allocate.
func (v *Verifier) Verify(body []byte, signature string) error {
	var want [sha256.Size]byte
	if err := decodeSignature(&want, signature); err != nil {
		return err
	}
	for _, ks := range v.keys {
		m, ok := ks.pool.Get().(*macState)
		if !ok {
			m = ks.newMAC()
		}
		m.h.Reset()
		m.h.Write(body)
		m.h.Sum(m.sum[:0])
		equal := hmac.Equal(m.sum[:], want[:])
		ks.pool.Put(m)
		if equal {
			return nil
		}
	}
	return ErrSignatureMismatch
}

var (
	errSigLength = fmt.Errorf("%w: want %d hex characters", ErrMalformedSignature, SignatureLength)
	errSigPrefix = fmt.Errorf("%w: want %d hex characters without a prefix (Glossi sends no \"sha256=\")", ErrMalformedSignature, SignatureLength)
	errSigHex    = fmt.Errorf("%w: not hexadecimal", ErrMalformedSignature)
)

// decodeSignature decodes a hex signature into dst. It does not allocate.
// The signature comes from the request, so its decoding need not be
// constant-time; only the comparison with the expected HMAC must be.
func decodeSignature(dst *[sha256.Size]byte, sig string) error {
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
	src := sig[:SignatureLength]
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

// Parse verifies a delivery and decodes it. In order, it checks the body
// size (ErrBodyTooLarge), the signature (as Verify), that the body is a JSON
// object with an "event" string and an RFC 3339 "timestamp"
// (ErrInvalidPayload), that the timestamp lies in the replay window
// (ErrTimestampOutOfRange), and, with a Deduper, that the delivery was not
// seen before (ErrDuplicate, returned together with the event). Nothing in
// the body is looked at before the signature passes.
//
// An event type this package does not know is not an error: check
// Event.Type.Known to skip it.
func (v *Verifier) Parse(body []byte, signature string) (*Event, error) {
	return v.ParseContext(context.Background(), body, signature)
}

// ParseContext is Parse with a context, passed to the Deduper.
func (v *Verifier) ParseContext(ctx context.Context, body []byte, signature string) (*Event, error) {
	if int64(len(body)) > v.maxBody {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, len(body), v.maxBody)
	}
	if err := v.Verify(body, signature); err != nil {
		return nil, err
	}
	ev, err := decodeEvent(body)
	if err != nil {
		return nil, err
	}
	if err := v.checkTimestamp(ev.Timestamp); err != nil {
		return nil, err
	}
	if v.deduper != nil {
		seen, err := v.deduper.Seen(ctx, ev.DedupKey, v.dedupTTL)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDeduper, err)
		}
		if seen {
			return ev, fmt.Errorf("%w: %s delivery of %s", ErrDuplicate, ev.Type, ev.Timestamp.Format(time.RFC3339Nano))
		}
	}
	return ev, nil
}

func (v *Verifier) checkTimestamp(ts time.Time) error {
	now := v.now()
	if age := now.Sub(ts); age > v.past {
		return fmt.Errorf("%w: timestamp %s is %s in the past, tolerance %s",
			ErrTimestampOutOfRange, ts.UTC().Format(time.RFC3339Nano), age.Round(time.Millisecond), v.past)
	}
	if ahead := ts.Sub(now); ahead > v.future {
		return fmt.Errorf("%w: timestamp %s is %s in the future, tolerance %s",
			ErrTimestampOutOfRange, ts.UTC().Format(time.RFC3339Nano), ahead.Round(time.Millisecond), v.future)
	}
	return nil
}

// envelope is the JSON form of every delivery.
type envelope struct {
	Event     *string         `json:"event"`
	Timestamp *string         `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

func decodeEvent(body []byte) (*Event, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrInvalidPayload)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidPayload, err)
	}
	if env.Event == nil || *env.Event == "" {
		return nil, fmt.Errorf("%w: missing \"event\"", ErrInvalidPayload)
	}
	if env.Timestamp == nil {
		return nil, fmt.Errorf("%w: missing \"timestamp\"", ErrInvalidPayload)
	}
	ts, err := time.Parse(time.RFC3339Nano, *env.Timestamp)
	if err != nil {
		return nil, fmt.Errorf("%w: \"timestamp\" is not RFC 3339: %w", ErrInvalidPayload, err)
	}
	sum := sha256.Sum256(body)
	return &Event{
		Type:      EventType(*env.Event),
		Timestamp: ts,
		Data:      env.Data,
		Raw:       body,
		DedupKey:  hex.EncodeToString(sum[:]),
	}, nil
}

// ParseRequest verifies and decodes the delivery in r, as Parse does, reading
// at most the Verifier's body limit (WithMaxBodyBytes). It does not check the
// method or the Content-Type. Afterwards r.Body can be read again from the
// start, so a handler can still decode it itself.
//
// The signature header is checked before the body is read: a request
// without one fails with ErrMissingSignature, and one with several
// X-Glossi-Signature headers with ErrMalformedSignature.
func (v *Verifier) ParseRequest(r *http.Request) (*Event, error) {
	sig, err := signatureFromHeader(r.Header)
	if err != nil {
		return nil, err
	}
	body, err := v.readBody(r)
	if err != nil {
		return nil, err
	}
	return v.ParseContext(r.Context(), body, sig)
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

// readBody reads at most v.maxBody bytes of r.Body and puts back a body that
// replays what was read (followed by any unread rest).
func (v *Verifier) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil
	}
	if r.ContentLength > v.maxBody {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrBodyTooLarge, r.ContentLength, v.maxBody)
	}
	orig := r.Body
	body, err := io.ReadAll(io.LimitReader(orig, v.maxBody+1))
	if err == nil && int64(len(body)) <= v.maxBody {
		// The whole body was read: replay it alone.
		r.Body = &replayBody{Reader: bytes.NewReader(body), closer: orig}
		return body, nil
	}
	// Put back what was read in front of the unread rest.
	r.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(body), orig), closer: orig}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, fmt.Errorf("%w: %w", ErrBodyTooLarge, err)
		}
		return nil, fmt.Errorf("glossiwebhook: reading request body: %w", err)
	}
	if int64(len(body)) > v.maxBody {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, v.maxBody)
	}
	return body, nil
}

type replayBody struct {
	io.Reader
	closer io.Closer
}

func (b *replayBody) Close() error { return b.closer.Close() }

package glossiwebhook

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Verifier verifies Glossi deliveries. Make one with NewVerifier at start-up
// and share it: it is safe for concurrent use, and SetSecrets replaces its
// secrets while requests are in flight.
type Verifier struct {
	secrets     atomic.Pointer[secretSet]
	past        time.Duration
	future      time.Duration
	now         func() time.Time
	maxBody     int64
	readTimeout time.Duration
	errHandler  func(w http.ResponseWriter, r *http.Request, err error)
}

type options struct {
	previous      string
	previousUntil time.Time
	past, future  time.Duration
	now           func() time.Time
	maxBody       int64
	readTimeout   time.Duration
	errHandler    func(w http.ResponseWriter, r *http.Request, err error)
}

// An Option configures a Verifier made by NewVerifier.
type Option func(*options) error

// WithPreviousSecret makes the Verifier also accept deliveries signed with
// secret, the one a rotation replaced, until the time until; after it, their
// signatures fail like any mismatch. Keep the previous secret until an hour
// after the rotation (the glossi_webhook resource's secret_rotated_at plus
// one hour), which outlasts Glossi's retries (see the package doc). A second
// WithPreviousSecret is an error; the secret is checked as NewVerifier
// checks the current one.
func WithPreviousSecret(secret string, until time.Time) Option {
	return func(o *options) error {
		if o.previous != "" {
			return errors.New("glossiwebhook: WithPreviousSecret given twice; a Verifier keeps one previous secret")
		}
		if err := checkSecret("previous ", secret); err != nil {
			return err
		}
		o.previous, o.previousUntil = secret, until
		return nil
	}
}

// WithTolerance sets the replay window: a delivery whose timestamp is more
// than past before, or more than future after, the Verifier's clock is
// refused with ErrTimestampOutOfRange. The defaults are one hour (longer
// than Glossi's retries, see the package doc) and five minutes.
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

// WithClock sets the clock the replay window and the previous secret's
// deadline are measured against. It is meant for tests; the default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("glossiwebhook: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithMaxBodyBytes sets the largest body accepted; larger ones fail with
// ErrBodyTooLarge (413 from Middleware). The default is DefaultMaxBodyBytes
// (1 MiB). n must be positive.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return errors.New("glossiwebhook: WithMaxBodyBytes: limit must be positive")
		}
		o.maxBody = n
		return nil
	}
}

// WithReadTimeout bounds the time Middleware spends reading a request body
// (10 seconds by default), through the connection's read deadline
// (http.ResponseController), so that a client sending a byte a second
// cannot hold the receiver. A body not read in time is answered 408, and
// the handler is not limited by it. d must be positive.
func WithReadTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return errors.New("glossiwebhook: WithReadTimeout: timeout must be positive")
		}
		o.readTimeout = d
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
//
// The secret is used exactly as given, never trimmed, and must pass
// CheckSecret: non-empty valid UTF-8 made of printable characters, with no
// space, tab, newline or other control character anywhere, and not what a
// command prints in place of a secret. Anything else is refused with
// ErrInvalidSecret, so that a missing variable, a trailing newline or a
// command's warning captured in place of the secret fails at start-up
// instead of failing every delivery (or accepting forgeries). The error
// names the rule broken, never the secret.
func NewVerifier(secret string, opts ...Option) (*Verifier, error) {
	o := options{
		past:        time.Hour,
		future:      5 * time.Minute,
		now:         time.Now,
		maxBody:     DefaultMaxBodyBytes,
		readTimeout: 10 * time.Second,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	set, err := newSecretSet(secret, o.previous, o.previousUntil)
	if err != nil {
		return nil, err
	}
	v := &Verifier{
		past:        o.past,
		future:      o.future,
		now:         o.now,
		maxBody:     o.maxBody,
		readTimeout: o.readTimeout,
		errHandler:  o.errHandler,
	}
	v.secrets.Store(set)
	return v, nil
}

// SetSecrets replaces the Verifier's secrets at once, for a receiver that
// reloads them while it runs (a file updated in place, SIGHUP). previous is
// the secret the last rotation replaced, accepted until previousUntil
// (see WithPreviousSecret for the window to choose), or "" for none.
// Requests in flight finish with the secrets they started with. The secrets
// are checked as NewVerifier checks them; on error nothing changes.
func (v *Verifier) SetSecrets(current, previous string, previousUntil time.Time) error {
	set, err := newSecretSet(current, previous, previousUntil)
	if err != nil {
		return err
	}
	v.secrets.Store(set)
	return nil
}

// String describes the Verifier by the fingerprints of its secrets (see
// Fingerprint), never the secrets, so that a log line can show which secret
// a receiver holds.
func (v *Verifier) String() string {
	if v == nil {
		return "glossiwebhook.Verifier(nil)"
	}
	return fmt.Sprintf("glossiwebhook.Verifier{%s, tolerance: -%s/+%s, maxBodyBytes: %d, readTimeout: %s}",
		v.secrets.Load(), v.past, v.future, v.maxBody, v.readTimeout)
}

// GoString is String, so that %#v does not print the Verifier's internals.
func (v *Verifier) GoString() string { return v.String() }

// Verify checks only the signature: that signature is the hex HMAC-SHA256 of
// the exact bytes of body under the current secret, or under the previous
// one before its deadline. It does not look inside the body; use Parse or
// ParseRequest for a full check.
//
// The signature must be 64 hex characters, in either case; surrounding
// whitespace is ignored. Anything else, including a "sha256=" prefix (which
// Glossi does not send), fails with ErrMalformedSignature without any HMAC
// being computed. An empty signature fails with ErrMissingSignature, a wrong
// one with ErrSignatureMismatch. The comparison is in constant time, and
// Verify does not allocate.
func (v *Verifier) Verify(body []byte, signature string) error {
	var want [32]byte
	if err := decodeSignature(&want, signature); err != nil {
		return err
	}
	return v.verifyDecoded(body, &want)
}

func (v *Verifier) verifyDecoded(body []byte, want *[32]byte) error {
	set := v.secrets.Load()
	if set.current.matches(body, want) {
		return nil
	}
	if set.previous != nil && v.now().Before(set.previousUntil) && set.previous.matches(body, want) {
		return nil
	}
	return ErrSignatureMismatch
}

// Parse verifies a delivery and decodes its envelope. In order, it checks
// the body size (ErrBodyTooLarge), the signature (as Verify), that the body
// is a JSON object with an "event" string and an RFC 3339 "timestamp"
// (ErrInvalidPayload), and that the timestamp lies in the replay window
// (ErrTimestampOutOfRange). Nothing in the body is looked at before the
// signature passes.
//
// An event type this package does not know is not an error: check
// EventType.Known to skip it.
func (v *Verifier) Parse(body []byte, signature string) (*Event, error) {
	ev := new(Event)
	if err := v.parseInto(ev, body, signature); err != nil {
		return nil, err
	}
	return ev, nil
}

func (v *Verifier) parseInto(ev *Event, body []byte, signature string) error {
	if int64(len(body)) > v.maxBody {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrBodyTooLarge, len(body), v.maxBody)
	}
	if err := decodeSignature(&ev.sig, signature); err != nil {
		return err
	}
	if err := v.verifyDecoded(body, &ev.sig); err != nil {
		return err
	}
	if err := decodeEnvelope(ev, body); err != nil {
		return err
	}
	return v.checkTimestamp(ev.Timestamp)
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

package sandbox

import (
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// DefaultAPIKey is the only valid API key when Options.APIKeys is empty.
const DefaultAPIKey = "test-api-key"

// MaxBodyBytes is the largest request body the sandbox accepts; a larger PUT
// body is answered with 413 Request Entity Too Large.
const MaxBodyBytes = 64 << 10

// Options configures a Sandbox. The zero value of every field is the default
// behaviour; the boolean switches select the other plausible answers where
// the Glossi documentation leaves the behaviour open.
type Options struct {
	// APIKeys are the valid values of the X-API-Key header; each one is a
	// separate account. Empty means []string{DefaultAPIKey}. Empty strings
	// are never valid keys.
	APIKeys []string

	// RotateSecretOnUpdate makes every PUT on an existing webhook generate
	// a new secret. By default an update keeps and returns the existing one.
	RotateSecretOnUpdate bool

	// OmitSecretOnUpdate makes a PUT that updates an existing webhook answer
	// without "secret" (the seed says the secret is shown once; an API may
	// show it only on creation). A PUT that creates one always returns it.
	OmitSecretOnUpdate bool

	// DeleteNoContent makes DELETE answer 204 No Content with no body
	// instead of 200 with {"success":true}.
	DeleteNoContent bool

	// EmptyDescriptionAsNull makes responses return "description": null
	// for a webhook without a description, instead of "description": "".
	EmptyDescriptionAsNull bool

	// NoWebhookAnswer is how GET answers when the account has no webhook:
	// the API's 404 {"error":"Webhook not found"} by default, or one of the
	// other NoWebhook... answers, some of them ambiguous on purpose.
	NoWebhookAnswer NoWebhookAnswer

	// StrayNotFound is how a path other than WebhooksPath is answered, as a
	// wrong base URL would be: a router's plain-text 404 by default, or a
	// JSON 404 of a gateway or a web framework (StrayNotFound...).
	StrayNotFound StrayNotFound

	// ReverseEvents makes PUT and GET responses list the events in the
	// reverse of the stored order (the order of the last PUT, first
	// occurrence of duplicates kept).
	ReverseEvents bool

	// NormalizeURL makes PUT store the URL as some APIs normalise it: host
	// in lower case and, when the path is empty, a trailing slash. The
	// answers then differ from the request in form only.
	NormalizeURL bool

	// DuplicateEvents makes GET list every event twice.
	DuplicateEvents bool

	// DropLastEvent makes PUT store all but the last event of a list of two
	// or more: an answer that really differs from the request.
	DropLastEvent bool

	// AfterPut, if not nil, runs after each successful PUT is applied and
	// before it is answered (the answer is already computed), with the API
	// key of the PUT: tests use it to emulate another writer racing the
	// client. It must not call SetOptions.
	AfterPut func(apiKey string)

	// Now is the clock used for lastTriggeredAt, delivery timestamps and
	// the request log. Nil means time.Now.
	Now func() time.Time

	// DeliveryTimeScale divides the delays between delivery retries
	// (RetryDelays) and the timeout of each attempt (DefaultDeliveryTimeout),
	// so that tests and demos run the whole schedule in moments: 60 turns
	// minutes into seconds. The scaled timeout is never shorter than
	// MinScaledDeliveryTimeout. 0 (or less) means 1, real time.
	DeliveryTimeScale float64

	// DeliveryTimeout, if positive, is the timeout of each delivery
	// attempt, replacing the scaled DefaultDeliveryTimeout.
	DeliveryTimeout time.Duration

	// DeliveryWorkers is how many delivery attempts run at once; 0 means
	// DefaultDeliveryWorkers. Read when the first delivery is triggered.
	DeliveryWorkers int

	// DeliveryQueueSize is how many deliveries may wait for a worker before
	// Trigger refuses more with ErrQueueFull; 0 means
	// DefaultDeliveryQueueSize. Read when the first delivery is triggered.
	DeliveryQueueSize int

	// ResignRetries makes each retry of a delivery signed again with the
	// webhook's secret at the time of the retry, as a sender that signs
	// each attempt would. After a rotation a retry then carries a new
	// signature, so a receiver deduplicating on it (glossiwebhook's
	// Event.DedupKey) sees a new delivery. By default a retry carries the
	// first attempt's signature.
	ResignRetries bool

	// Logf, if not nil, receives a line for each delivery attempt and each
	// failure to save the state file. No line holds a secret, an API key
	// or a signature.
	Logf func(format string, args ...any)
}

// normalized returns a copy of o with defaults filled in that shares no
// slice with o.
func (o Options) normalized() Options {
	keys := make([]string, 0, len(o.APIKeys))
	for _, k := range o.APIKeys {
		if k != "" {
			keys = append(keys, k)
		}
	}
	if len(o.APIKeys) == 0 {
		keys = append(keys, DefaultAPIKey)
	}
	o.APIKeys = keys
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validKey reports, in constant time per configured key, whether key is one
// of the configured API keys.
func (o Options) validKey(key string) bool {
	if key == "" {
		return false
	}
	ok := 0
	for _, k := range o.APIKeys {
		ok |= subtle.ConstantTimeCompare([]byte(k), []byte(key))
	}
	return ok == 1
}

// CheckAPIKey says what makes key unusable as an API key, which a client sends
// in the X-API-Key header: it is empty, or holds a space or a line break. The
// error follows the key's name ("--api-key is empty") and never quotes the
// key.
func CheckAPIKey(key string) error {
	switch {
	case key == "":
		return errors.New("is empty")
	case strings.ContainsFunc(key, unicode.IsSpace):
		return errors.New("holds a space or a line break, which a header cannot carry")
	}
	return nil
}

// NoWebhookAnswer selects the answer to a GET when there is no webhook.
type NoWebhookAnswer string

// The answers a GET may give when there is no webhook. Only the default and
// NoWebhookNull say "no webhook" definitely; the others are what a wrong
// base URL or a proxy may answer, and a client must not read them as
// "deleted".
const (
	NoWebhookNotFound    NoWebhookAnswer = ""        // 404 {"error":"Webhook not found"}
	NoWebhookNull        NoWebhookAnswer = "null"    // 200 null
	NoWebhookEmptyBody   NoWebhookAnswer = "empty"   // 200 with an empty body
	NoWebhookEmptyObject NoWebhookAnswer = "{}"      // 200 {}
	NoWebhookHTML404     NoWebhookAnswer = "html404" // 404 with an HTML page
)

// StrayNotFound selects the 404 answered on a path that is not the API's.
type StrayNotFound string

// The 404s of what may stand in front of, or instead of, the API. None says
// "no webhook"; a client must not read any of them as "deleted".
const (
	StrayNotFoundRouter    StrayNotFound = ""          // text/plain "404 page not found"
	StrayNotFoundBareJSON  StrayNotFound = "json"      // {"error":"Not found"}
	StrayNotFoundGateway   StrayNotFound = "gateway"   // {"message":"no Route matched with those values"}
	StrayNotFoundFramework StrayNotFound = "framework" // {"statusCode":404,"message":"Cannot GET /path","error":"Not Found"}
)

// Sandbox is an in-memory Glossi webhooks API. Create it with New and serve
// it with, for example, httptest.NewServer. All its methods are safe for
// concurrent use.
type Sandbox struct {
	store *store // Accounts and their webhooks, with their own lock.

	mu       sync.Mutex // Guards the fields below.
	opts     Options
	faults   []*queuedFault
	putQueue []*queuedPutFault // See lifecycle_faults.go.
	log      requestLog
	eng      *engine // Started by the first Trigger.
	shutdown bool    // Set by Shutdown: no more deliveries.

	unlockState func() // Releases the state file's lock; nil without one.
}

// New returns a Sandbox configured by opts, with no webhooks.
func New(opts Options) *Sandbox {
	return &Sandbox{store: newStore(), opts: opts.normalized()}
}

// SetOptions changes the options at run time: fn receives a copy of the
// current options to modify, and the result applies to requests that arrive
// afterwards. fn must not call methods of s.
func (s *Sandbox) SetOptions(fn func(*Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.opts.normalized()
	fn(&o)
	s.opts = o.normalized()
}

// options returns a snapshot of the current options. The APIKeys slice of
// the snapshot is never modified afterwards.
func (s *Sandbox) options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// APIKeys returns the API keys the sandbox accepts, one per account.
func (s *Sandbox) APIKeys() []string {
	return slices.Clone(s.options().APIKeys)
}

// logf writes a line to Options.Logf, if set.
func (s *Sandbox) logf(format string, args ...any) {
	if f := s.options().Logf; f != nil {
		f(format, args...)
	}
}

// Package glossiwebhook verifies the webhook deliveries Glossi sends, and
// signs deliveries for tests and local senders. It uses the standard library
// only.
//
// # Quick start
//
// Make one Verifier at start-up and wrap the handler of your webhook
// endpoint with its Middleware. The handler runs only for a delivery whose
// signature and timestamp are valid, and finds the event in its context:
//
//	v, err := glossiwebhook.NewVerifier(os.Getenv("GLOSSI_WEBHOOK_SECRET"),
//		glossiwebhook.WithDeduper(glossiwebhook.NewMemoryDeduper(10000)))
//	if err != nil {
//		log.Fatal(err) // ErrEmptySecret if the variable is not set
//	}
//	http.Handle("POST /webhooks/glossi", v.Middleware(http.HandlerFunc(
//		func(w http.ResponseWriter, r *http.Request) {
//			ev, _ := glossiwebhook.EventFromContext(r.Context())
//			switch ev.Type {
//			case glossiwebhook.EventModelProcessed:
//				m, err := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
//				...
//			}
//		})))
//
// Middleware answers 405 to anything but POST, 413 to a body over the limit
// (1 MiB by default, see WithMaxBodyBytes), 401 to a missing or wrong
// signature or a stale timestamp, 400 to a signed body that is not a Glossi
// delivery, and 200 to a duplicate (without calling your handler). Without
// HTTP middleware, use Verifier.ParseRequest, or Verifier.Parse on a body you
// have read yourself. Decode an event's data into the typed payloads
// (ModelProcessed, ModelFailed, ProjectCreated, JobComplete, JobFailed,
// RenderComplete, RenderFailed) with DataAs, Event.DecodeData or
// Event.Payload.
//
// An event type this package does not know is not an error: the event is
// returned so that an event Glossi adds later never breaks a receiver. Check
// EventType.Known to skip such events.
//
// # The signature covers the raw bytes
//
// Glossi sends each delivery as a POST with Content-Type application/json and
// an X-Glossi-Signature header: the lowercase hex HMAC-SHA256 of the raw
// request body, keyed with the webhook secret. Verify those exact bytes,
// never a re-serialization of the parsed JSON.
//
// The examples in Glossi's documentation parse the body and serialize it
// again before hashing, which only works when the receiver's serializer
// writes the same bytes as the sender's. Against a Node.js sender (compact
// JSON.stringify bytes), the Python example (json.dumps adds spaces after
// "," and ":") fails on every delivery, the PHP example (json_encode escapes
// "/" as "\/") fails whenever the payload holds a URL, and the Node example
// fails on any body that is not compact and throws on a signature of the
// wrong length. Go's json.Marshal matches none of them: it sorts map keys,
// escapes <, > and & as \u003c, \u003e and \u0026, and writes numbers its own
// way. Every Verifier method therefore hashes the bytes exactly as received,
// and Middleware and ParseRequest give those same bytes to your handler
// (r.Body can be read again, and Event.Raw holds them).
//
// A signature is 64 hex characters, in either case, compared in constant
// time; surrounding whitespace is ignored. A "sha256=" prefix, as some other
// providers send, is not part of Glossi's format and is refused as
// ErrMalformedSignature, as is anything else that is not 64 hex characters
// (including several X-Glossi-Signature headers); no HMAC is computed for
// them.
//
// # Replay window
//
// The signature covers no timestamp header: the body's own "timestamp" field
// is signed, and it is the only defence against a captured delivery being
// replayed later. Parse checks it after the signature passes: by default a
// delivery may be up to one hour old, which covers Glossi's three retries
// after 1, 5 and 30 minutes, and up to five minutes ahead of the receiver's
// clock. Change the window with WithTolerance; the error, which wraps
// ErrTimestampOutOfRange, says how far out of range the timestamp was.
//
// # Duplicates
//
// Glossi retries a delivery that did not get a 2xx answer within 30 seconds,
// and may deliver one more than once. Deliveries carry no event id: the
// signed body itself identifies a delivery, and a retry carries the same
// bytes. Event.DedupKey is the hex SHA-256 of the body. Give the Verifier a
// Deduper with WithDeduper (off by default) and Parse returns ErrDuplicate
// for a body it has seen within the replay window; Middleware then answers
// 200 without calling your handler, so Glossi stops retrying. Only deliveries
// whose signature and timestamp pass are recorded. NewMemoryDeduper serves a
// single process; behind a load balancer, implement Deduper over a shared
// store. If the Deduper fails, Middleware answers 503 so that Glossi retries
// later. If your handler answers a non-2xx status or panics, Middleware
// forgets the delivery (when the Deduper is a Forgetter) so that the retry is
// handled.
//
// # Rotating the secret
//
// Creating or updating the webhook in Glossi returns a new secret. Deploy it
// as the current secret and keep the old one with WithPreviousSecrets until
// deliveries signed with it, retries included, have drained (about 40
// minutes), then remove it. Empty secrets are refused with ErrEmptySecret,
// so a missing environment variable fails at start-up instead of accepting
// forged deliveries.
//
// # Testing a receiver
//
// Sign computes the header value for a body, so tests can build deliveries:
//
//	body := []byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"j"}}`)
//	req := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(body))
//	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
//
// Fix the Verifier's clock with WithClock to test with fixed timestamps, and
// use NewContext to call a handler directly with an event.
//
// # Errors and secrets
//
// Errors wrap the sentinel errors of this package (ErrMissingSignature,
// ErrSignatureMismatch, ...): test them with errors.Is, and map them to HTTP
// statuses with HTTPStatus. No error, response body or String method of this
// package contains a secret or the expected signature.
//
// # Performance
//
// Verify computes the keyed HMAC state once per pooled hash, decodes the
// signature onto the stack and does not allocate; it costs about as much as
// the HMAC-SHA256 of the body itself.
package glossiwebhook

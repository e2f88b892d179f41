// Package glossiwebhook verifies the webhook deliveries Glossi sends, and
// signs deliveries for tests and local senders. It uses the standard library
// only.
//
// # Quick start
//
// Make one Verifier at start-up and wrap your handler with its Middleware,
// and with Deduplicate so that each delivery is handled once. The handler
// runs only for a delivery whose signature and timestamp are valid, and
// finds the event in its context:
//
//	v, err := glossiwebhook.NewVerifier(os.Getenv("GLOSSI_WEBHOOK_SECRET"))
//	if err != nil {
//		log.Fatal(err) // ErrInvalidSecret: unset, or not a secret
//	}
//	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		ev, _ := glossiwebhook.EventFromContext(r.Context())
//		switch ev.Type {
//		case glossiwebhook.EventModelProcessed:
//			m, err := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
//			...
//		}
//	})
//	d := glossiwebhook.NewMemoryDeduper(0) // one process; see Deduper for replicas
//	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(d, handle)))
//	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second,
//		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
//	log.Fatal(srv.ListenAndServe())
//
// Middleware answers 405 to anything but POST, 408 to a body not read
// within 10 seconds (WithReadTimeout), 413 to a body over 1 MiB
// (WithMaxBodyBytes), 401 to a missing or wrong signature or a stale
// timestamp, and 400 to a signed body that is not a Glossi delivery. It
// answers a verified probe (EventProbe) with 200 itself. Without
// middleware, use Verifier.ParseRequest, or Verifier.Parse on a body you
// have read yourself.
//
// Decode an event's data with DataAs into its typed payload (ModelProcessed,
// ModelFailed, ProjectCreated, JobComplete, JobFailed, RenderComplete,
// RenderFailed). An event type this package does not know is not an error,
// so that an event Glossi adds later never breaks a receiver: check
// EventType.Known to skip it.
//
// # The signature covers the raw bytes
//
// Glossi sends each delivery as a POST with an X-Glossi-Signature header:
// the lowercase hex HMAC-SHA256 of the raw request body, keyed with the
// webhook secret. Verify those exact bytes, never a re-serialization of the
// parsed JSON: the examples in Glossi's documentation parse and serialize
// again before hashing, which fails whenever the receiver's serializer writes
// other bytes than the sender's (Python's spaces, PHP's "\/", Go's sorted
// keys and \u003c). Every method here hashes the bytes as received, and
// Middleware gives those same bytes to your handler (r.Body can be read
// again, and Event.Raw holds them).
//
// A signature is 64 hex characters, in either case, compared in constant
// time; surrounding whitespace is ignored. Anything else, a "sha256=" prefix
// or several signature headers included, is ErrMalformedSignature and no
// HMAC is computed.
//
// # Glossi's retries
//
// Glossi waits 30 seconds for a 2xx answer to a delivery. Without one, it
// retries after 1, 5 and 30 minutes, with the same body and the same
// signature, so the last retry comes about 36 minutes after the first
// attempt. The defaults below are sized on this schedule: the replay window,
// the previous secret's hour after a rotation, and Deduplicate's lease and
// TTL.
//
// # Replay window
//
// The body's own "timestamp" field is signed, and it is the only defence
// against a captured delivery being replayed later. By default a delivery
// may be up to one hour old, which outlasts Glossi's retries, and up to five
// minutes ahead of the receiver's clock (WithTolerance).
//
// The envelope is read in one pass without encoding/json; it reads what
// JavaScript's JSON.parse reads where that decides what the envelope says:
// the last of repeated keys counts, keys match by exact case, escapes in
// keys and strings are decoded. The top level must be one JSON object.
// "data" is kept as the raw bytes it was sent as and validated when DataAs
// decodes it; other values are skipped without being validated.
//
// # Duplicates
//
// Glossi retries a delivery that did not get a 2xx, and may deliver one more
// than once; a retry carries the same bytes and the same signature. Deduplicate claims a delivery before your handler runs,
// marks it done after a 2xx, and releases it after a failure or a panic so
// that the retry is handled. It answers 200 to a delivery already handled
// and 409 to one being handled elsewhere, and it fails closed: if the
// Deduper fails, it answers 503 and Glossi retries later. A claim carries a
// token, so a handler that outlived its lease and then fails releases only
// its own claim, never the one a later copy took.
// NewMemoryDeduper serves one process; several replicas need a Deduper over
// a shared store (package redisdedup). A TxDeduper (package pgdedup) goes
// further: the handler writes through the transaction that holds the claim,
// so its work and the done mark commit together, and no lease can end
// while it runs. Without Middleware, deduplicate on
// Event.DedupKey, which rests on the same assumption: a retry carries the
// same body and signature as the first attempt.
//
// Whatever store keeps the claims is part of the receiver's correctness:
// if it forgets (a flush, a restart without persistence, an eviction), a
// copy of a handled delivery is handled again.
//
// # Secrets and rotation
//
// NewVerifier refuses what cannot be a secret (ErrInvalidSecret, by the one
// rule of CheckSecret): empty, surrounding whitespace, control characters
// such as terminal colour codes, text with spaces such as a command's
// warning captured instead of the secret, and terraform output's
// "<sensitive>" or quoted value. Updating the webhook in Glossi may rotate
// its secret: deploy the new one, and keep the previous one with
// WithPreviousSecret until an hour after the rotation, which outlasts
// Glossi's retries of the deliveries it signed. Verifier.SetSecrets replaces
// both while the receiver runs, for example when a mounted secret file
// changes. A Verifier prints the
// fingerprints of its secrets (Fingerprint), the same value as the
// glossi_webhook resource's secret_fingerprint, never the secrets. When the
// resource keeps the secret encrypted with age (secret_recipients), package
// agesecret decrypts secret_ciphertext with the receiver's identity.
//
// # Testing a receiver
//
// Sign computes the header value for a body, so tests can build deliveries:
//
//	body := []byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"j"}}`)
//	req := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(body))
//	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
//
// Fix the Verifier's clock with WithClock to test with fixed timestamps.
//
// # Errors
//
// Errors wrap the sentinel errors of this package: test them with errors.Is,
// and map them to HTTP statuses with HTTPStatus. No error, response body or
// String method of this package contains a secret or an expected signature.
package glossiwebhook

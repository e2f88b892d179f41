// Package glossi is a small HTTP client for the webhooks endpoint of the
// Glossi API (PUT, GET and DELETE {BaseURL}/webhooks).
//
// One API key owns at most one webhook. Put creates or updates it and is the
// only call whose answer carries the signing secret; Get reads it; Delete
// removes it. Failed calls return an *APIError (see IsNotFound and
// IsUnauthorized), an *UnexpectedAnswerError, or a wrapped transport or
// context error.
//
// # "No webhook" needs positive evidence
//
// IsNotFound reports true only for an answer that is the API's own "this
// account has no webhook": a 200 whose body is JSON null, or a 404 in the
// API's exact shape, with all three signals: a JSON content type
// (application/json), a body that is an object whose only key is "error",
// and as its value one of the API's messages, "Webhook not found" or "No
// webhook configured" (in any case). Everything else that lacks a webhook
// is an *UnexpectedAnswerError, never a not-found: an HTML or plain-text
// 404, a JSON 404 that only says "Not found", one with more keys or with
// "message" instead of "error", a gateway's {"message":"no Route matched
// with those values"}, a framework's {"message":"Cannot GET
// /api/v1/webhooks"}, a router's "no webhook route configured", a 2xx
// without an id. Those are what a wrong base URL, a proxy or an API that
// moved answers, and reading them as "deleted" would make a caller forget
// a webhook that still exists.
//
// # Retries and uncertainty
//
// Requests are retried with capped, jittered exponential backoff on 429, on
// 5xx other than 501, on connection errors and on attempt timeouts, never on
// other 4xx, never on errors another attempt cannot change (an http server
// behind an https base URL, a certificate or a name that does not resolve)
// and never once the caller's context is done. Retry-After is honoured on
// 429 and 503 up to MaxRetryAfter.
//
// Uncertainty belongs to the whole call (IsUncertain): once any attempt may
// have reached the API without a definite answer, the call's outcome is
// unknown even if a later attempt is refused.
//
// Every attempt and every retry wait is reported through Config.Log. The API
// key, any "secret" value and every secret given to MaskSecret are masked
// before they reach the log or an error message.
//
// The package knows nothing of Terraform.
package glossi

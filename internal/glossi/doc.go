// Package glossi is a small HTTP client for the webhooks endpoint of the
// Glossi API (PUT, GET and DELETE {BaseURL}/webhooks).
//
// One API key owns at most one webhook. Put creates or updates it and is the
// only call whose answer carries the signing secret; Get reads it; Delete
// removes it. Failed calls return an *APIError (see IsNotFound and
// IsUnauthorized) or a wrapped transport or context error.
//
// Requests are retried with capped, jittered exponential backoff on 429, on
// 5xx other than 501, on connection errors and on attempt timeouts, never on
// other 4xx and never once the caller's context is done. Retry-After is
// honoured on 429 and 503 up to MaxRetryAfter.
//
// Every attempt and every retry wait is reported through Config.Log. The API
// key and any "secret" value are masked before they reach the log or an
// error message.
//
// The package knows nothing of Terraform.
package glossi

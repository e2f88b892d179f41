package glossi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// UnexpectedAnswerError is an answer that is neither a webhook nor the API's
// definite "no webhook": a 200 with an empty body or an object without an
// id, or a 404 without positive evidence that the webhook is missing (an
// HTML page, a router's plain-text 404, a gateway's or a framework's JSON
// 404). It usually means the base URL points somewhere else than the API.
// It is never a not-found: IsNotFound reports false.
type UnexpectedAnswerError struct {
	// Method is the HTTP method of the call, e.g. "GET".
	Method string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Reason describes the body, e.g. "an empty body".
	Reason string

	earlier string // an earlier attempt that may have been applied, or ""
}

// Error returns e.g. "GET /webhooks: 200 OK with an empty body, which is not a Glossi API answer".
func (e *UnexpectedAnswerError) Error() string {
	return fmt.Sprintf("%s %s: %s with %s, which is not a Glossi API answer", e.Method, webhooksPath, statusLine(e.StatusCode), e.Reason) +
		earlierNote(e.earlier)
}

// uncertain: a 2xx the client cannot read may have applied the request.
func (e *UnexpectedAnswerError) uncertain() bool {
	return e.StatusCode >= 200 && e.StatusCode < 300 || e.earlier != ""
}

// earlierNote says, in an error's text, which earlier attempt may have been
// applied.
func earlierNote(earlier string) string {
	if earlier == "" {
		return ""
	}
	return " (" + earlier + " got no definite answer, so the API may have applied the request)"
}

// IsUnexpectedAnswer reports whether err is, or wraps, an *UnexpectedAnswerError.
func IsUnexpectedAnswer(err error) bool {
	_, ok := errors.AsType[*UnexpectedAnswerError](err)
	return ok
}

// IsConnectionError reports whether err is a call that got no HTTP answer at
// all (refused connection, DNS failure, timeout), as opposed to an answer.
func IsConnectionError(err error) bool {
	_, ok := errors.AsType[*requestError](err)
	return ok
}

// IsTransient reports whether err may go away by itself: no answer at all,
// a rate limit (429) or a server error (5xx).
func IsTransient(err error) bool {
	if IsConnectionError(err) {
		return true
	}
	ae, ok := errors.AsType[*APIError](err)
	return ok && (ae.StatusCode == http.StatusTooManyRequests || ae.StatusCode >= 500)
}

// noWebhookMessages are the API's own words for "this account has no
// webhook", compared without regard to case: the sandbox's (the seed's)
// "Webhook not found", and "No webhook configured".
var noWebhookMessages = []string{"webhook not found", "no webhook configured"}

// isNoWebhookAnswer reports whether a 404 is positive evidence that the
// account has no webhook: it has the API's exact shape, a JSON content type
// and a body that is an object whose only key is "error", holding one of
// noWebhookMessages. A 404 that only says "Not found", names a route
// ("Cannot GET /api/v1/webhooks", "no Route matched", "no webhook route
// configured"), has more keys, uses "message", or is not JSON comes from
// something in front of, or instead of, the API.
func isNoWebhookAnswer(contentType string, body []byte) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "application/json" {
		return false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || len(obj) != 1 {
		return false
	}
	var msg string
	if json.Unmarshal(obj["error"], &msg) != nil {
		return false
	}
	return slices.Contains(noWebhookMessages, strings.ToLower(strings.TrimSpace(msg)))
}

// describe404 names the shape of a 404 body that does not say the webhook
// is missing.
func describe404(body []byte) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil {
		return "a JSON error that does not say the webhook is missing (a gateway's or a router's 404?)"
	}
	return describeBody(body)
}

// describeBody names the shape of a body that is not what was expected,
// without quoting it (it may hold anything).
func describeBody(body []byte) string {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return "an empty body"
	case string(body) == "{}":
		return "an empty JSON object"
	case body[0] == '<':
		return "an HTML page"
	case body[0] == '{':
		return "a JSON object without an id"
	case strings.HasPrefix(string(body), "404 page not found"):
		return "a router's plain-text 404"
	}
	return "a body that is not JSON"
}

package glossi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// UnexpectedAnswerError is an answer that is neither a webhook nor the API's
// definite "no webhook": a 200 with an empty body or an object without an
// id, or a 404 that is not the API's JSON error (an HTML page, a router's
// plain-text 404). It usually means the base URL points somewhere else than
// the API. It is never a not-found: IsNotFound reports false.
type UnexpectedAnswerError struct {
	// Method is the HTTP method of the call, e.g. "GET".
	Method string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Reason describes the body, e.g. "an empty body".
	Reason string
}

// Error returns e.g. "GET /webhooks: 200 OK with an empty body, which is not a Glossi API answer".
func (e *UnexpectedAnswerError) Error() string {
	return fmt.Sprintf("%s %s: %s with %s, which is not a Glossi API answer", e.Method, webhooksPath, statusLine(e.StatusCode), e.Reason)
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

// isAPIErrorBody reports whether body is the API's JSON error: an object
// with "error" or "message".
func isAPIErrorBody(body []byte) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return false
	}
	_, hasError := obj["error"]
	_, hasMessage := obj["message"]
	return hasError || hasMessage
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

package glossi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrMissingAPIKey is returned by every call of a Client configured without
// an API key; no request is made.
var ErrMissingAPIKey = errors.New("no Glossi API key configured")

// maxMessageLen caps the message taken from a non-JSON error body.
const maxMessageLen = 200

// APIError is an unsuccessful answer of the Glossi API. Its text never
// contains the API key or a webhook secret.
type APIError struct {
	// Method is the HTTP method of the call, e.g. "GET".
	Method string
	// Path is the resource path relative to the base URL, e.g. "/webhooks".
	Path string
	// StatusCode is the HTTP status of the last response. Get also reports
	// 404 when the API answers 200 without a webhook.
	StatusCode int
	// Message is the API's own explanation, or a trimmed snippet of the body.
	// It may be empty.
	Message string
	// Attempts is the number of attempts made, retries included.
	Attempts int

	earlier string // an earlier attempt that may have been applied, or ""
}

// uncertain: a status that leaves open whether the API applied the request,
// or a definite refusal after an attempt that may have been applied.
func (e *APIError) uncertain() bool {
	if e.earlier != "" {
		return true
	}
	return e.StatusCode < 300 || e.StatusCode >= 500 || e.StatusCode == http.StatusRequestTimeout ||
		e.StatusCode == http.StatusTooManyRequests
}

// Error returns e.g. "GET /webhooks: 500 Internal Server Error: boom (after 3 attempts)".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
	if b.Len() == 0 {
		b.WriteString("Glossi API")
	}
	b.WriteString(": ")
	b.WriteString(statusLine(e.StatusCode))
	if e.Message != "" && !strings.EqualFold(e.Message, http.StatusText(e.StatusCode)) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	b.WriteString(earlierNote(e.earlier))
	return b.String()
}

// IsNotFound reports whether err is, or wraps, an *APIError with status 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is, or wraps, an *APIError with status
// 401 or 403.
func IsUnauthorized(err error) bool {
	return hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusForbidden)
}

func hasStatus(err error, code int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == code
}

// statusLine returns "404 Not Found", or "599" for an unknown code.
func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// errorMessage extracts a human message from an error body. It accepts
// {"error": "..."}, {"message": "..."}, {"error": {"message": "..."}} and
// NestJS' {"error": "Bad Request", "message": ["a", "b"]}; other bodies give a
// trimmed, length-capped snippet, and HTML pages give "". The result is masked.
func (c *Client) errorMessage(code int, body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil {
		errText, msgText := jsonText(obj["error"]), jsonText(obj["message"])
		if errText == "" || strings.EqualFold(errText, http.StatusText(code)) && msgText != "" {
			errText = ""
		}
		var msg string
		switch {
		case errText != "" && msgText != "" && errText != msgText:
			msg = errText + ": " + msgText
		case errText != "":
			msg = errText
		default:
			msg = msgText
		}
		if msg != "" {
			return c.scrub(snippet(msg))
		}
		return c.scrub(snippet(string(maskBody(body))))
	}
	if body[0] == '<' {
		return "" // an HTML error page from a proxy; the status says enough.
	}
	return c.scrub(snippet(string(maskBody(body))))
}

// jsonText returns a JSON string, the "message" of a JSON object, or the
// strings of a JSON array joined with "; ".
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.TrimSpace(strings.Join(list, "; "))
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		return jsonText(obj["message"])
	}
	return ""
}

// snippet collapses white space and caps s at maxMessageLen runes.
func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxMessageLen {
		return s
	}
	r := []rune(s)
	return string(r[:maxMessageLen]) + "…"
}

package glossi

import (
	"errors"
	"net/http"
)

// IsUncertain reports whether err leaves it unknown if the API applied the
// call: the request may have reached the API although no definite answer came
// back (a timeout, a transport or context error, a 5xx or 429 once the
// retries are spent, a 2xx that could not be decoded). Any other status
// (a 4xx other than 408 and 429, a redirect not followed) or a missing API
// key is definite: nothing was changed. A nil err is not uncertain.
func IsUncertain(err error) bool {
	if err == nil || errors.Is(err, ErrMissingAPIKey) {
		return false
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return true
	}
	switch {
	case ae.StatusCode == http.StatusRequestTimeout, ae.StatusCode == http.StatusTooManyRequests:
		return true
	case ae.StatusCode >= 300 && ae.StatusCode < 500:
		return false
	}
	return true
}

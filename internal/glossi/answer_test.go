package glossi

import (
	"errors"
	"fmt"
	"testing"
)

// What may go away by itself: no answer at all, a rate limit or a server error; never a
// definite refusal or an answer from something that is not the API.
func TestIsTransient(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"no answer", &requestError{msg: "GET /webhooks: request failed", err: errors.New("connection refused")}, true},
		{"no answer, wrapped", fmt.Errorf("reading: %w", &requestError{msg: "GET /webhooks: request failed"}), true},
		{"429", &APIError{Method: "GET", StatusCode: 429}, true},
		{"500", &APIError{Method: "GET", StatusCode: 500}, true},
		{"503, wrapped", fmt.Errorf("wrapped: %w", &APIError{Method: "GET", StatusCode: 503}), true},
		{"401", &APIError{Method: "GET", StatusCode: 401}, false},
		{"409", &APIError{Method: "PUT", StatusCode: 409}, false},
		{"not the API", &UnexpectedAnswerError{Method: "GET", StatusCode: 404, Reason: "an HTML page"}, false},
		{"missing API key", ErrMissingAPIKey, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTransient(tc.err); got != tc.want {
				t.Errorf("IsTransient(%v) = %t, want %t", tc.err, got, tc.want)
			}
		})
	}
}

package glossi

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestIsUncertain(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"missing API key", ErrMissingAPIKey, false},
		{"400 rejected", &APIError{Method: "PUT", StatusCode: 400}, false},
		{"401 rejected", &APIError{Method: "PUT", StatusCode: 401}, false},
		{"404", &APIError{Method: "PUT", StatusCode: 404}, false},
		{"408 request timeout", &APIError{Method: "PUT", StatusCode: 408}, true},
		{"429 after retries", &APIError{Method: "PUT", StatusCode: 429, Attempts: 3}, true},
		{"500 after retries", &APIError{Method: "PUT", StatusCode: 500, Attempts: 3}, true},
		{"503 wrapped", fmt.Errorf("wrapped: %w", &APIError{Method: "PUT", StatusCode: 503}), true},
		{"redirect not followed", &APIError{Method: "PUT", StatusCode: 307}, false},
		{"attempt timeout", &requestError{msg: "PUT /webhooks: request failed", err: &attemptTimeoutError{}}, true},
		{"caller's deadline", fmt.Errorf("PUT /webhooks: %w", context.DeadlineExceeded), true},
		{"2xx reported as an APIError", &APIError{Method: "PUT", StatusCode: 200, Message: "no webhook in the answer"}, true},
		{"undecodable 2xx", errors.New("PUT /webhooks: decoding response: unexpected end of JSON input"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsUncertain(tc.err); got != tc.want {
				t.Errorf("IsUncertain(%v) = %t, want %t", tc.err, got, tc.want)
			}
		})
	}
}

package glossi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
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
		{"attempt timeout", &requestError{msg: "PUT /webhooks: request failed", err: &attemptTimeoutError{}, mayHaveApplied: true}, true},
		{"never sent", &requestError{msg: "PUT /webhooks: request failed", err: http.ErrSchemeMismatch}, false},
		{"409 after an attempt that may have applied", &APIError{Method: "PUT", StatusCode: 409, earlier: "attempt 1 (502 Bad Gateway)"}, true},
		{"HTML 404", &UnexpectedAnswerError{Method: "PUT", StatusCode: 404, Reason: "an HTML page"}, false},
		{"unreadable 2xx", &UnexpectedAnswerError{Method: "PUT", StatusCode: 200, Reason: "an empty body"}, true},
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

// The first attempt is applied and answered 502, the retry is refused with 409: the call is
// uncertain, and its error says which attempt may have been applied.
func TestPut_uncertaintyBelongsToTheWholeCall(t *testing.T) {
	api := newFakeAPI(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			reply(w, http.StatusBadGateway, `{"error":"upstream"}`)
			return
		}
		reply(w, http.StatusConflict, `{"error":"conflict"}`)
	})
	_, err := newTestClient(t, api.URL, nil).Put(context.Background(), WebhookInput{URL: "https://h.example/x"})
	if !hasStatus(err, http.StatusConflict) || !IsUncertain(err) {
		t.Fatalf("err = %v (uncertain %t), want an uncertain 409", err, IsUncertain(err))
	}
	if want := "attempt 1 (502 Bad Gateway) got no definite answer"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to name %q", err, want)
	}
}

// An https client talking to an http server gets the same answer every time: one attempt, and
// the outcome is definite (nothing was sent to an API).
func TestPut_schemeMismatchNotRetried(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{}`) })
	httpsURL := "https://" + strings.TrimPrefix(api.URL, "http://") + "/api/v1"
	_, err := newTestClient(t, httpsURL, nil).Put(context.Background(), WebhookInput{URL: "https://h.example/x"})
	if !errors.Is(err, http.ErrSchemeMismatch) || IsUncertain(err) {
		t.Fatalf("err = %v (uncertain %t), want a definite scheme mismatch", err, IsUncertain(err))
	}
	if strings.Contains(err.Error(), "attempts") {
		t.Errorf("err = %q: the scheme mismatch was retried", err)
	}
}

// An API behind a certificate the client does not trust gives the same error every time: one
// attempt, and the outcome is definite (the request never reached an API that could apply it).
func TestPut_untrustedCertificateNotRetried(t *testing.T) {
	var hits atomic.Int32
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		reply(w, 200, `{}`)
	}))
	t.Cleanup(api.Close)
	logs := &logRecorder{}
	_, err := newTestClient(t, api.URL+"/api/v1", func(c *Config) { c.Log = logs.log }).Put(context.Background(), WebhookInput{URL: "https://h.example/x"})
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); !ok || IsUncertain(err) {
		t.Fatalf("err = %v (uncertain %t), want a definite certificate verification error", err, IsUncertain(err))
	}
	if attempts := logs.count("Glossi API request failed"); attempts != 1 || hits.Load() != 0 {
		t.Errorf("%d attempts logged, %d requests reached the API; want 1 attempt and none", attempts, hits.Load())
	}
}

// The errors another attempt cannot change: what the certificate, the name or the scheme of the
// base URL gives, whichever way the transport wraps it.
func TestIsDeterministic(t *testing.T) {
	cert := &x509.Certificate{}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"scheme mismatch", http.ErrSchemeMismatch, true},
		{"not TLS", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, true},
		{"certificate refused for another reason", &tls.CertificateVerificationError{Err: x509.ConstraintViolationError{}}, true},
		{"certificate for another host", x509.HostnameError{Certificate: cert, Host: "api.glossi.app"}, true},
		{"unknown authority", x509.UnknownAuthorityError{Cert: cert}, true},
		{"expired certificate", x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}, true},
		{"no such host", &net.DNSError{Err: "no such host", Name: "api.glossi.example", IsNotFound: true}, true},
		{"DNS server failure", &net.DNSError{Err: "server misbehaving", Name: "api.glossi.app", IsTemporary: true}, false},
		{"connection refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, false},
		{"wrapped", fmt.Errorf("attempt 1: %w", x509.HostnameError{Certificate: cert, Host: "h"}), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := isDeterministic(tc.err); got != tc.want {
				t.Errorf("isDeterministic(%v) = %t, want %t", tc.err, got, tc.want)
			}
		})
	}
}

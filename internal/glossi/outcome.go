package glossi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
)

// IsUncertain reports whether err leaves it unknown if the API applied the
// call. Uncertainty belongs to the whole call: if any attempt may have
// reached the API without a definite answer (a timeout, a transport error
// after the request went out, a 408, 429 or 5xx), the call is uncertain
// whatever its last attempt answered, since a retry answered 409 says
// nothing about the attempt before it. A 2xx that could not be decoded and
// a context error are uncertain too. A call whose every attempt got a
// definite refusal (another 4xx, a redirect not followed) or never left
// (a missing API key, a refused connection, a TLS or scheme mismatch) is
// definite: nothing was changed. A nil err is not uncertain.
func IsUncertain(err error) bool {
	if err == nil || errors.Is(err, ErrMissingAPIKey) {
		return false
	}
	if u, ok := errors.AsType[interface {
		error
		uncertain() bool
	}](err); ok {
		return u.uncertain()
	}
	return true
}

// attemptMayHaveApplied reports whether one attempt may have changed the
// webhook although it brought no success: the request may have reached the
// API (it was sent and no definite refusal came back).
func attemptMayHaveApplied(resp *http.Response, err error) bool {
	if err != nil {
		return !neverSent(err)
	}
	return attemptStatusMayHaveApplied(resp.StatusCode)
}

// attemptStatusMayHaveApplied reports whether an answer with status code
// leaves open that the API applied the request.
func attemptStatusMayHaveApplied(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		(code >= 500 && code != http.StatusNotImplemented)
}

// neverSent reports whether err shows that the request never reached an API
// that could apply it: the connection was never made, or never carried it.
func neverSent(err error) bool {
	if isDeterministic(err) {
		return true
	}
	opErr, ok := errors.AsType[*net.OpError](err)
	return ok && opErr.Op == "dial"
}

// isDeterministic reports whether err is one that another attempt cannot
// change: the same base URL, certificate or name gives the same error, so
// retrying only makes the user wait.
func isDeterministic(err error) bool {
	if errors.Is(err, http.ErrSchemeMismatch) {
		return true // "server gave HTTP response to HTTPS client"
	}
	if _, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return true
	}
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.HostnameError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return true
	}
	if _, ok := errors.AsType[x509.CertificateInvalidError](err); ok {
		return true
	}
	dnsErr, ok := errors.AsType[*net.DNSError](err)
	return ok && dnsErr.IsNotFound
}

package glossiwebhook

import (
	"context"
	"errors"
	"net/http"
)

type contextKey struct{}

// NewContext returns a copy of ctx carrying ev, as Middleware passes it to
// the next handler. It is useful to test such handlers.
func NewContext(ctx context.Context, ev *Event) context.Context {
	return context.WithValue(ctx, contextKey{}, ev)
}

// EventFromContext returns the verified event that Middleware put in the
// request's context, and whether there is one.
func EventFromContext(ctx context.Context) (*Event, bool) {
	ev, ok := ctx.Value(contextKey{}).(*Event)
	return ev, ok && ev != nil
}

// HTTPStatus returns the status Middleware answers for err, an error of this
// package:
//
//	nil                                   200 OK
//	ErrDuplicate                          200 OK (so that Glossi stops retrying)
//	ErrMethodNotAllowed                   405 Method Not Allowed
//	ErrBodyTooLarge                       413 Request Entity Too Large
//	ErrMissingSignature,
//	ErrMalformedSignature,
//	ErrSignatureMismatch,
//	ErrEmptySecret,
//	ErrTimestampOutOfRange                401 Unauthorized
//	ErrInvalidPayload and other errors    400 Bad Request
//	ErrDeduper                            503 Service Unavailable (Glossi retries)
func HTTPStatus(err error) int {
	switch {
	case err == nil, errors.Is(err, ErrDuplicate):
		return http.StatusOK
	case errors.Is(err, ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrMissingSignature), errors.Is(err, ErrMalformedSignature),
		errors.Is(err, ErrSignatureMismatch), errors.Is(err, ErrEmptySecret),
		errors.Is(err, ErrTimestampOutOfRange):
		return http.StatusUnauthorized
	case errors.Is(err, ErrDeduper):
		return http.StatusServiceUnavailable
	default:
		return http.StatusBadRequest
	}
}

// responseText is the short plain-text body Middleware answers for err. It
// never contains a secret, a signature or anything from the request.
func responseText(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrDuplicate):
		return "duplicate delivery ignored"
	case errors.Is(err, ErrMethodNotAllowed):
		return "method not allowed"
	case errors.Is(err, ErrBodyTooLarge):
		return "request body too large"
	case errors.Is(err, ErrMissingSignature):
		return "missing signature"
	case errors.Is(err, ErrMalformedSignature), errors.Is(err, ErrSignatureMismatch), errors.Is(err, ErrEmptySecret):
		return "invalid signature"
	case errors.Is(err, ErrTimestampOutOfRange):
		return "timestamp out of range"
	case errors.Is(err, ErrInvalidPayload):
		return "invalid payload"
	case errors.Is(err, ErrDeduper):
		return "deduplication unavailable, retry later"
	default:
		return "bad request"
	}
}

// defaultErrorHandler answers HTTPStatus(err) with a short plain-text body.
func defaultErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	http.Error(w, responseText(err), HTTPStatus(err))
}

// Middleware returns a handler that verifies each delivery with ParseRequest
// and calls next only for a valid, new one, with the event in the request's
// context (see EventFromContext) and r.Body readable again from the start.
// It answers by itself:
//
//	not POST                      405, with "Allow: POST"
//	body over the limit           413
//	bad or missing signature,
//	timestamp out of range        401
//	signed body that is not a
//	Glossi delivery               400
//	duplicate (with a Deduper)    200, next is not called, so Glossi stops retrying
//	Deduper error                 503, so Glossi retries later
//
// Bodies are short plain text (see WithErrorHandler to log or change them).
// If the Deduper is a Forgetter and next answers a non-2xx status or panics,
// the delivery is forgotten so that Glossi's retry is handled.
//
// Glossi waits 30 seconds at most and counts anything but a 2xx as a
// failure: answer quickly and do slow work asynchronously.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	fail := v.errHandler
	if fail == nil {
		fail = defaultErrorHandler
	}
	forgetter, _ := v.deduper.(Forgetter)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(w, r, ErrMethodNotAllowed)
			return
		}
		ev, err := v.ParseRequest(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		r = r.WithContext(NewContext(r.Context(), ev))
		if forgetter == nil {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		ok := false
		defer func() {
			if !ok || sw.status < 200 || sw.status > 299 {
				_ = forgetter.Forget(context.WithoutCancel(r.Context()), ev.DedupKey)
			}
		}()
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		ok = true
	})
}

// statusWriter records the status a handler answers.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Flush flushes the underlying ResponseWriter, if it can.
func (s *statusWriter) Flush() {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	_ = http.NewResponseController(s.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying ResponseWriter.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

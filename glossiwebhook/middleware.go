package glossiwebhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
)

type contextKey struct{}

// EventFromContext returns the verified event that Middleware put in the
// request's context, and whether there is one.
func EventFromContext(ctx context.Context) (*Event, bool) {
	ev, ok := ctx.Value(contextKey{}).(*Event)
	return ev, ok && ev != nil
}

var errMethodNotAllowed = errors.New("glossiwebhook: method not allowed, deliveries are POST")

// errTimeout is what a read past the connection's read deadline returns.
var errTimeout = os.ErrDeadlineExceeded

// HTTPStatus returns the status Middleware answers for err, an error of this
// package:
//
//	nil                                   200 OK
//	a method other than POST              405 Method Not Allowed
//	body not read within WithReadTimeout  408 Request Timeout
//	ErrBodyTooLarge                       413 Request Entity Too Large
//	ErrMissingSignature,
//	ErrMalformedSignature,
//	ErrSignatureMismatch,
//	ErrTimestampOutOfRange                401 Unauthorized
//	ErrInvalidPayload and other errors    400 Bad Request
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, errMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, errTimeout):
		return http.StatusRequestTimeout
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrMissingSignature), errors.Is(err, ErrMalformedSignature),
		errors.Is(err, ErrSignatureMismatch), errors.Is(err, ErrTimestampOutOfRange):
		return http.StatusUnauthorized
	default:
		return http.StatusBadRequest
	}
}

// responseText is the short plain-text body Middleware answers for err. It
// never contains a secret, a signature or anything from the request.
func responseText(err error) string {
	switch {
	case errors.Is(err, errMethodNotAllowed):
		return "method not allowed"
	case errors.Is(err, errTimeout):
		return "request body too slow"
	case errors.Is(err, ErrBodyTooLarge):
		return "request body too large"
	case errors.Is(err, ErrMissingSignature):
		return "missing signature"
	case errors.Is(err, ErrMalformedSignature), errors.Is(err, ErrSignatureMismatch):
		return "invalid signature"
	case errors.Is(err, ErrTimestampOutOfRange):
		return "timestamp out of range"
	case errors.Is(err, ErrInvalidPayload):
		return "invalid payload"
	default:
		return "bad request"
	}
}

func defaultErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	http.Error(w, responseText(err), HTTPStatus(err))
}

// Middleware returns a handler that verifies each delivery as ParseRequest
// does and calls next only for a valid one, with the event in the request's
// context (see EventFromContext) and r.Body readable again from the start.
// It reads the body for at most the read timeout (WithReadTimeout, 10
// seconds by default) and answers by itself:
//
//	not POST                       405, with "Allow: POST"
//	body not read in time          408
//	body over the limit            413
//	bad or missing signature,
//	timestamp out of range         401
//	signed body that is not a
//	Glossi delivery                400
//	verified EventProbe delivery   200 "probe ok", next is not called
//
// Refusals go through WithErrorHandler, to log them. Wrap next with
// Deduplicate to handle each delivery once. Glossi waits a bounded time for
// an answer and counts anything but a 2xx as a failure (Glossi's retries, in
// the package doc): answer quickly and do slow work asynchronously.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	fail := v.errHandler
	if fail == nil {
		fail = defaultErrorHandler
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(w, r, errMethodNotAllowed)
			return
		}
		d := new(delivery)
		if err := v.parseRequest(w, r, d); err != nil {
			fail(w, r, err)
			return
		}
		if d.ev.Type == EventProbe {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, "probe ok")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, &d.ev)))
	})
}

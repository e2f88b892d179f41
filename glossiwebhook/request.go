package glossiwebhook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ParseRequest verifies and decodes the delivery in r, as Parse does,
// reading at most the Verifier's body limit (WithMaxBodyBytes). It does not
// check the method or the Content-Type, and, having no ResponseWriter, sets
// no read deadline: set http.Server's ReadTimeout, or use Middleware.
// Afterwards r.Body can be read again from the start.
//
// The signature header is checked before the body is read: a request
// without one fails with ErrMissingSignature, and one with several
// X-Glossi-Signature headers with ErrMalformedSignature.
func (v *Verifier) ParseRequest(r *http.Request) (*Event, error) {
	d := new(delivery)
	if err := v.parseRequest(nil, r, d); err != nil {
		return nil, err
	}
	return &d.ev, nil
}

// delivery is everything Middleware keeps for one request, allocated once.
type delivery struct {
	ev     Event
	replay replayBody
}

type replayBody struct {
	bytes.Reader
	closer io.Closer
}

func (b *replayBody) Close() error { return b.closer.Close() }

// parseRequest reads and verifies r into d. With a ResponseWriter, reading
// the body is bounded by the read timeout.
func (v *Verifier) parseRequest(w http.ResponseWriter, r *http.Request, d *delivery) error {
	sig, err := signatureFromHeader(r.Header)
	if err != nil {
		return err
	}
	body, err := v.readBody(w, r)
	if err != nil {
		return err
	}
	if r.Body != nil && r.Body != http.NoBody {
		d.replay.Reset(body)
		d.replay.closer = r.Body
		r.Body = &d.replay
	}
	return v.parseInto(&d.ev, body, sig)
}

// readBody reads all of r.Body, at most v.maxBody bytes, in one allocation
// when the Content-Length is known.
func (v *Verifier) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil
	}
	if r.ContentLength > v.maxBody {
		return nil, fmt.Errorf("%w: Content-Length %d, limit %d", ErrBodyTooLarge, r.ContentLength, v.maxBody)
	}
	if w != nil {
		// net/http clears the deadline itself once the body is read, so it
		// does not limit the handler. An unsupported ResponseWriter (a test
		// recorder) leaves the body unbounded in time.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(v.readTimeout))
	}
	body, err := readLimited(r.Body, r.ContentLength, v.maxBody)
	if err != nil {
		// Put back what was read in front of the unread rest.
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	}
	switch {
	case err == nil:
		return body, nil
	case errors.Is(err, ErrBodyTooLarge):
		return nil, err
	case errors.Is(err, errTimeout):
		return nil, fmt.Errorf("glossiwebhook: request body not read within %s: %w", v.readTimeout, err)
	default:
		return nil, fmt.Errorf("glossiwebhook: reading request body: %w", err)
	}
}

// readLimited reads body to its end, failing with ErrBodyTooLarge past max
// bytes; on error it returns what it read. With a known length it reads into one buffer of length+1 bytes, the
// extra byte to see the end.
func readLimited(body io.Reader, length, limit int64) ([]byte, error) {
	size := int64(512)
	if length >= 0 {
		size = length + 1
	}
	buf := make([]byte, 0, min(size, limit+1))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := min(int64(cap(buf)), limit+1)
		n, err := body.Read(buf[len(buf):room])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return buf, fmt.Errorf("%w: %w", ErrBodyTooLarge, err)
			}
			return buf, err
		}
	}
}

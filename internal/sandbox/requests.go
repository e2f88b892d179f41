package sandbox

import (
	"bytes"
	"strings"
	"time"
)

// maxLogEntries bounds the request log; older entries are dropped first.
const maxLogEntries = 10000

// MaxLoggedBodyBytes caps the body a log entry keeps, so that a long-running
// sandbox stays flat in memory: at most maxLogEntries * MaxLoggedBodyBytes.
const MaxLoggedBodyBytes = 2048

// Request is one entry of the request log. It never holds the API key.
type Request struct {
	// Method and Path are those of the request (the path without the
	// query string).
	Method string
	Path   string

	// Status is the status code answered, or 0 when the client went away
	// before an answer was written (during an injected delay).
	Status int

	// Time is when the request arrived, according to Options.Now.
	Time time.Time

	// KeyValid reports whether the X-API-Key header held a valid key.
	KeyValid bool

	// Body is the request body (nil when empty), at most
	// MaxLoggedBodyBytes of it.
	Body []byte

	// BodyTruncated reports that the body was longer than Body.
	BodyTruncated bool

	// UserAgent is the User-Agent header.
	UserAgent string

	// Faulted reports whether an injected fault with a non-zero Status
	// decided the answer.
	Faulted bool
}

func (r Request) clone() Request {
	if r.Body != nil {
		r.Body = append([]byte(nil), r.Body...)
	}
	return r
}

// requestLog is a ring of the last maxLogEntries requests: adding one never
// copies the others.
type requestLog struct {
	entries []Request
	oldest  int // index of the oldest entry once the ring is full
}

func (l *requestLog) add(r Request) {
	if len(r.Body) > MaxLoggedBodyBytes {
		r.Body, r.BodyTruncated = r.Body[:MaxLoggedBodyBytes], true
	}
	r.Body = bytes.Clone(r.Body) // drop the rest of the read buffer
	if len(l.entries) < maxLogEntries {
		l.entries = append(l.entries, r)
		return
	}
	l.entries[l.oldest] = r
	l.oldest = (l.oldest + 1) % maxLogEntries
}

// each calls fn on every entry, oldest first.
func (l *requestLog) each(fn func(Request)) {
	for i := range l.entries {
		fn(l.entries[(l.oldest+i)%len(l.entries)])
	}
}

// logRequest appends r to the log.
func (s *Sandbox) logRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.add(r)
}

// Requests returns a copy of the request log, in the order the requests were
// answered. The log keeps the last 10000 requests.
func (s *Sandbox) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, 0, len(s.log.entries))
	s.log.each(func(r Request) { out = append(out, r.clone()) })
	return out
}

// ResetRequests empties the request log.
func (s *Sandbox) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = requestLog{}
}

// CountRequests returns how many logged requests have the method method,
// compared without regard to case; "" counts every request.
func (s *Sandbox) CountRequests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	s.log.each(func(r Request) {
		if method == "" || strings.EqualFold(r.Method, method) {
			n++
		}
	})
	return n
}

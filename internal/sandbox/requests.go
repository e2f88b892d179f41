package sandbox

import (
	"strings"
	"time"
)

// maxLogEntries bounds the request log; older entries are dropped first.
const maxLogEntries = 10000

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

	// Body is the request body (nil when empty), at most MaxBodyBytes of
	// it.
	Body []byte

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

// logRequest appends r to the log.
func (s *Sandbox) logRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= maxLogEntries {
		s.log = append(s.log[:0:0], s.log[len(s.log)-maxLogEntries+1:]...)
	}
	s.log = append(s.log, r)
}

// Requests returns a copy of the request log, in the order the requests were
// answered. The log keeps the last 10000 requests.
func (s *Sandbox) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		out[i] = r.clone()
	}
	return out
}

// ResetRequests empties the request log.
func (s *Sandbox) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// CountRequests returns how many logged requests have the method method,
// compared without regard to case; "" counts every request.
func (s *Sandbox) CountRequests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		return len(s.log)
	}
	n := 0
	for _, r := range s.log {
		if strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}

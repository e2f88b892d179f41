package sandbox

import (
	"context"
	"strings"
	"time"
)

// Fault is an injected failure: the next Count requests whose method is
// Method wait Delay and then answer Status with the JSON body
// {"error": Message}, without touching any webhook unless AfterApply.
type Fault struct {
	// Method is the HTTP method the fault applies to, compared without
	// regard to case; "" matches every method.
	Method string

	// Status is the status code of the answer. 0 means the request is
	// served normally after Delay (a pure delay, or with Delay 0 a
	// placeholder that lets Count requests through before later faults).
	Status int

	// Count is the number of requests the fault applies to; 0 (or less)
	// means every matching request until ClearFaults.
	Count int

	// RetryAfter, if not empty, is sent as the Retry-After header.
	RetryAfter string

	// Delay is how long the sandbox waits before answering. If the client
	// goes away during the delay, nothing is written and the request is
	// logged with Status 0.
	Delay time.Duration

	// Message is the error message of the body; "" means
	// http.StatusText(Status).
	Message string

	// AfterApply serves the request normally first (it may change the
	// webhook) and only then answers Status: a gateway's 502 in front of an
	// API that did the work. Without it a faulted request changes nothing.
	AfterApply bool
}

// queuedFault is a Fault with the number of requests it still applies to.
type queuedFault struct {
	Fault
	remaining int // Meaningless when Count <= 0 (forever).
}

// InjectFault appends f to the queue of faults. Each request takes the first
// fault in the queue that matches its method, before routing and
// authentication; a fault is removed once it has applied to Count requests.
// Faulted requests change no webhook (unless AfterApply) but are logged.
func (s *Sandbox) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &queuedFault{Fault: f, remaining: f.Count})
}

// ClearFaults removes every queued fault and PutFault, including the ones
// that apply forever.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.putQueue = nil
}

// takeFault consumes one use of the first queued fault that matches method.
func (s *Sandbox) takeFault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, q := range s.faults {
		if q.Method != "" && !strings.EqualFold(q.Method, method) {
			continue
		}
		if q.Count > 0 {
			q.remaining--
			if q.remaining <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return q.Fault, true
	}
	return Fault{}, false
}

// wait sleeps for d and reports false if the request was cancelled first.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

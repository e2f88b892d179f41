package sandbox

import (
	"context"
	"net/http"
	"time"
)

// PutFault changes the answer to PUTs that the sandbox applies normally: the
// webhook is created or updated (and its secret rotated if the options say
// so) before the fault takes effect. Faults are used in the order injected.
type PutFault struct {
	// Count is the number of PUTs the fault applies to; 0 (or less) means
	// every PUT until ClearFaults.
	Count int

	// AnswerAfter delays the answer of an applied PUT, so that a client
	// whose request timeout is shorter gives up on a change that was made.
	AnswerAfter time.Duration

	// OmitSecret drops "secret" from the answer, on create as on update.
	OmitSecret bool

	// AnswerStatus, if not 0, answers the applied PUT with this status and
	// the JSON body {"error": http.StatusText(AnswerStatus)} instead of the
	// webhook: a gateway's 502 in front of an API that did the work.
	AnswerStatus int

	// ApplyWhen, if not nil, holds the PUT until it is closed (or the client
	// gives up): a request that reached the API first is applied after
	// requests that arrived later, as a slow API node may do.
	ApplyWhen <-chan struct{}

	// OnHold, if not nil, is called when a PUT starts waiting for ApplyWhen,
	// so that a test knows the request arrived before it sends others.
	OnHold func()
}

type queuedPutFault struct {
	PutFault
	remaining int // Meaningless when Count <= 0 (forever).
}

// InjectPutFault queues f for the next PUTs that the sandbox applies.
func (s *Sandbox) InjectPutFault(f PutFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putQueue = append(s.putQueue, &queuedPutFault{PutFault: f, remaining: f.Count})
}

// takePutFault returns the first queued PutFault and uses up one of its
// requests.
func (s *Sandbox) takePutFault() (PutFault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.putQueue) == 0 {
		return PutFault{}, false
	}
	f := s.putQueue[0]
	if f.Count > 0 {
		f.remaining--
		if f.remaining <= 0 {
			s.putQueue = s.putQueue[1:]
		}
	}
	return f.PutFault, true
}

// hold waits for ApplyWhen, and reports false if the client went away first.
func (f PutFault) hold(ctx context.Context) bool {
	if f.ApplyWhen == nil {
		return true
	}
	if f.OnHold != nil {
		f.OnHold()
	}
	select {
	case <-f.ApplyWhen:
		return true
	case <-ctx.Done():
		return false
	}
}

// answer is the answer to an applied PUT whose webhook is body, as f
// changes it; the zero PutFault answers 200 with body.
func (f PutFault) answer(ctx context.Context, body putResponse) response {
	if f.OmitSecret {
		body.Secret = ""
	}
	wait(ctx, f.AnswerAfter)
	if f.AnswerStatus != 0 {
		return errorResponse(f.AnswerStatus, http.StatusText(f.AnswerStatus))
	}
	return jsonResponse(http.StatusOK, body)
}

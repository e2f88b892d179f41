package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// TriggerPath is the control endpoint that makes the sandbox send a
// delivery. It lies outside /api/ so that it can never clash with the Glossi
// API. It takes a POST with the X-API-Key of the account and the JSON body
// TriggerRequest, and answers a TriggerResponse: 200 once the waited-for
// attempts are made, 202 with "wait": "none". A refusal is answered with
// {"error": "...", "reason": "..."}: 401 for a bad key, 400 for a bad body,
// 422 for an unknown event or bad data, 409 when the webhook is missing,
// disabled or not subscribed, 503 when the queue is full or the sandbox is
// shutting down.
const TriggerPath = "/_sandbox/trigger"

// The values of TriggerRequest.Wait.
const (
	WaitNone  = "none"  // Answer as soon as the delivery is queued.
	WaitFirst = "first" // Answer after the first attempt (the default).
	WaitAll   = "all"   // Answer when the delivery is delivered, failed or cancelled.
)

// TriggerRequest is the body of a POST to TriggerPath.
type TriggerRequest struct {
	// Event is the event type to deliver.
	Event string `json:"event"`
	// Data is the event's data, a JSON object; absent means sample data.
	Data json.RawMessage `json:"data,omitempty"`
	// Wait says how long to wait before answering: WaitNone, WaitFirst
	// (the default) or WaitAll.
	Wait string `json:"wait,omitempty"`
}

// TriggerResponse is the answer of TriggerPath: the delivery so far.
type TriggerResponse struct {
	ID       string        `json:"id"`
	Event    string        `json:"event"`
	URL      string        `json:"url"`
	State    DeliveryState `json:"state"`
	Attempts []Attempt     `json:"attempts"`
	// NextRetryAt is when the next attempt is due, if one is scheduled.
	NextRetryAt string `json:"nextRetryAt,omitempty"`
	// Reason says why a cancelled delivery stopped.
	Reason string `json:"reason,omitempty"`
}

// TriggerErrorResponse is the body of a refusal of TriggerPath.
type TriggerErrorResponse struct {
	Error  string `json:"error"`
	Reason string `json:"reason,omitempty"`
}

// NewTriggerResponse describes d as the trigger endpoint answers it.
func NewTriggerResponse(d *Delivery) TriggerResponse {
	tr := TriggerResponse{
		ID:       d.ID(),
		Event:    d.Event(),
		URL:      d.URL(),
		State:    d.State(),
		Attempts: d.Attempts(),
		Reason:   d.CancelReason(),
	}
	if tr.Attempts == nil {
		tr.Attempts = []Attempt{}
	}
	if next := d.NextRetry(); !next.IsZero() && tr.State == DeliveryPending {
		tr.NextRetryAt = next.UTC().Format(timeLayout)
	}
	return tr
}

func triggerRefusal(status int, reason, msg string) response {
	return jsonResponse(status, TriggerErrorResponse{Error: msg, Reason: reason})
}

func (s *Sandbox) serveTrigger(w http.ResponseWriter, r *http.Request) {
	resp := s.trigger(r)
	resp.write(w)
}

func (s *Sandbox) trigger(r *http.Request) response {
	if r.Method != http.MethodPost {
		resp := triggerRefusal(http.StatusMethodNotAllowed, "method_not_allowed", "Method "+r.Method+" not allowed; use POST")
		resp.header.Set("Allow", http.MethodPost)
		return resp
	}
	key := r.Header.Get(APIKeyHeader)
	if !s.options().validKey(key) {
		return triggerRefusal(http.StatusUnauthorized, "invalid_api_key", msgInvalidKey)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return triggerRefusal(http.StatusBadRequest, "bad_request", "Could not read the request body")
	}
	if len(body) > MaxBodyBytes {
		return triggerRefusal(http.StatusRequestEntityTooLarge, "too_large", "Request body too large")
	}
	var req TriggerRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return triggerRefusal(http.StatusBadRequest, "bad_request", `Invalid JSON body: expected {"event": "...", "data": {...}, "wait": "none|first|all"}: `+err.Error())
	}
	if req.Event == "" {
		return triggerRefusal(http.StatusBadRequest, "bad_request", "event is required")
	}
	switch req.Wait {
	case "":
		req.Wait = WaitFirst
	case WaitNone, WaitFirst, WaitAll:
	default:
		return triggerRefusal(http.StatusBadRequest, "bad_request", `wait must be "none", "first" or "all"`)
	}
	if isNull(req.Data) {
		req.Data = nil
	}

	d, err := s.Trigger(r.Context(), key, req.Event, req.Data)
	if err != nil {
		te, ok := errors.AsType[*TriggerError](err)
		if !ok {
			return triggerRefusal(http.StatusServiceUnavailable, "cancelled", err.Error())
		}
		status := http.StatusConflict
		switch {
		case errors.Is(err, ErrUnknownEvent), errors.Is(err, ErrInvalidData):
			status = http.StatusUnprocessableEntity
		case errors.Is(err, ErrQueueFull), errors.Is(err, ErrClosed):
			status = http.StatusServiceUnavailable
		}
		resp := triggerRefusal(status, te.Reason, te.Error())
		if status == http.StatusServiceUnavailable {
			resp.header.Set("Retry-After", "1")
		}
		return resp
	}
	status := http.StatusOK
	switch req.Wait {
	case WaitNone:
		status = http.StatusAccepted
	case WaitFirst:
		_ = d.WaitFirst(r.Context())
	case WaitAll:
		_ = d.Wait(r.Context())
	}
	return jsonResponse(status, NewTriggerResponse(d))
}

package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// TriggerPath is the control endpoint that makes the sandbox send a
// delivery. It lies outside /api/ so that it can never clash with the Glossi
// API. It takes a POST with the X-API-Key of the account and the JSON body
// TriggerRequest, and answers a TriggerResponse: 200 once the waited-for
// attempts are made, 202 with "wait": "none". A refusal is answered with a
// TriggerErrorResponse: 4xx for a bad request, a bad key, an unknown event or
// bad data, or a webhook missing, disabled or not subscribed; 503 with
// Retry-After when the queue is full or the sandbox is shutting down.
const TriggerPath = "/_sandbox/trigger"

// The values of TriggerRequest.Wait.
const (
	WaitNone  = "none"  // Answer as soon as the delivery is queued.
	WaitFirst = "first" // Answer after the first attempt (the default).
	WaitAll   = "all"   // Answer when the delivery is delivered, failed or cancelled.
)

var waitValues = []string{WaitNone, WaitFirst, WaitAll}

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

func triggerRefusal(r refusal, msg string) response {
	resp := jsonResponse(r.status, TriggerErrorResponse{Error: msg, Reason: r.reason})
	if r.status == http.StatusServiceUnavailable {
		resp.header.Set("Retry-After", "1")
	}
	return resp
}

func (s *Sandbox) serveTrigger(w http.ResponseWriter, r *http.Request) {
	resp := s.trigger(r)
	resp.write(w)
}

func (s *Sandbox) trigger(r *http.Request) response {
	if r.Method != http.MethodPost {
		resp := triggerRefusal(refuseMethod, msgMethodNotAllowed(r.Method, http.MethodPost))
		resp.header.Set("Allow", http.MethodPost)
		return resp
	}
	key := r.Header.Get(APIKeyHeader)
	if !s.options().validKey(key) {
		return triggerRefusal(refuseAPIKey, msgInvalidKey)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return triggerRefusal(refuseBadBody, msgReadFailed)
	}
	if len(body) > MaxBodyBytes {
		return triggerRefusal(refuseTooLarge, msgTooLarge)
	}
	var req TriggerRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err = dec.Decode(&req); err != nil {
		return triggerRefusal(refuseBadBody, `Invalid JSON body: expected {"event": "...", "data": {...}, "wait": "`+strings.Join(waitValues, "|")+`"}: `+err.Error())
	}
	if req.Event == "" {
		return triggerRefusal(refuseBadBody, "event is required")
	}
	if req.Wait == "" {
		req.Wait = WaitFirst
	}
	if !slices.Contains(waitValues, req.Wait) {
		return triggerRefusal(refuseBadBody, `wait must be one of "`+strings.Join(waitValues, `", "`)+`"`)
	}
	if isNull(req.Data) {
		req.Data = nil
	}

	d, err := s.Trigger(r.Context(), key, req.Event, req.Data)
	if err != nil {
		return triggerRefusal(refusalOf(err), err.Error())
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

// Trigger makes the sandbox deliver event to the webhook of the account
// apiKey, in the background, the way Glossi does: a POST of the compact JSON
// envelope {"event","timestamp","data"} signed with the webhook's secret in
// the X-Glossi-Signature header, retried after each delay of RetryDelays
// (divided by Options.DeliveryTimeScale) on a non-2xx answer, a timeout or a
// connection error, with the same body and signature (Options.ResignRetries signs each retry again). data must be a JSON
// object; nil means realistic sample data (SampleData).
//
// Trigger sends nothing, and returns a *TriggerError wrapping the reason,
// when the event is unknown (ErrUnknownEvent), data is not a JSON object
// (ErrInvalidData), the account has no webhook (ErrNoWebhook), the webhook is
// disabled (ErrWebhookDisabled) or not subscribed to the event
// (ErrNotSubscribed), the queue is full (ErrQueueFull) or the sandbox is shut
// down (ErrClosed).
func (s *Sandbox) Trigger(ctx context.Context, apiKey, event string, data json.RawMessage) (*Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts := s.options()
	body, err := DeliveryBody(event, opts.Now(), data)
	if err != nil {
		return nil, triggerError(event, err)
	}
	h, ok := s.store.get(apiKey)
	switch {
	case !ok || !opts.validKey(apiKey):
		return nil, triggerError(event, ErrNoWebhook)
	case !h.Enabled:
		return nil, triggerError(event, ErrWebhookDisabled)
	case !slices.Contains(h.Events, event):
		return nil, triggerError(event, fmt.Errorf("%w; it is subscribed to %v", ErrNotSubscribed, h.Events))
	}
	d := &Delivery{
		id:        uuid.NewString(),
		event:     event,
		url:       h.URL,
		apiKey:    apiKey,
		webhookID: h.ID,
		body:      body,
		signature: glossiwebhook.Sign(body, h.Secret),
		first:     make(chan struct{}),
		done:      make(chan struct{}),
		state:     DeliveryPending,
	}
	e := s.engine()
	if e == nil {
		return nil, triggerError(event, ErrClosed)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ctx.Err() != nil { // Shutdown ran between s.engine() and here
		return nil, triggerError(event, ErrClosed)
	}
	select {
	case e.queue <- d:
	default:
		return nil, triggerError(event, fmt.Errorf("%w (%d deliveries waiting); try again later", ErrQueueFull, cap(e.queue)))
	}
	e.pending[d] = struct{}{}
	s.logf("delivery %s: %s queued for %s", d.id, event, d.url)
	return d, nil
}

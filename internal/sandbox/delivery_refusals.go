package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// Reasons why Trigger sends nothing. The errors Trigger returns are
// *TriggerError values that wrap one of these; test them with errors.Is.
// Each has a reason code and an HTTP status at TriggerPath (refusals).
var (
	ErrNoWebhook       = errors.New("the account has no webhook")
	ErrWebhookDisabled = errors.New("the webhook is disabled")
	ErrNotSubscribed   = errors.New("the webhook is not subscribed to this event")
	ErrUnknownEvent    = errors.New("unknown event")
	ErrInvalidData     = errors.New("invalid event data")
	ErrQueueFull       = errors.New("the delivery queue is full")
	ErrClosed          = errors.New("the sandbox is shut down")
)

// refusal is how the trigger endpoint answers a refusal: the reason code in
// its JSON answer and the HTTP status.
type refusal struct {
	reason string
	status int
}

// The status table of the trigger endpoint, declared here only: the refusals
// of the endpoint itself, then those of Trigger by sentinel error.
var (
	refuseMethod    = refusal{"method_not_allowed", http.StatusMethodNotAllowed}
	refuseAPIKey    = refusal{"invalid_api_key", http.StatusUnauthorized}
	refuseBadBody   = refusal{"bad_request", http.StatusBadRequest}
	refuseTooLarge  = refusal{"too_large", http.StatusRequestEntityTooLarge}
	refuseCancelled = refusal{"cancelled", http.StatusServiceUnavailable}

	refusals = map[error]refusal{
		ErrUnknownEvent:    {"unknown_event", http.StatusUnprocessableEntity},
		ErrInvalidData:     {"invalid_data", http.StatusUnprocessableEntity},
		ErrNoWebhook:       {"no_webhook", http.StatusConflict},
		ErrWebhookDisabled: {"webhook_disabled", http.StatusConflict},
		ErrNotSubscribed:   {"not_subscribed", http.StatusConflict},
		ErrQueueFull:       {"queue_full", http.StatusServiceUnavailable},
		ErrClosed:          {"shut_down", http.StatusServiceUnavailable},
	}
)

// refusalOf returns the row of refusals for err, a Trigger error; an error
// that is none of them is answered as a cancellation.
func refusalOf(err error) refusal {
	for sentinel, r := range refusals {
		if errors.Is(err, sentinel) {
			return r
		}
	}
	return refuseCancelled
}

// TriggerError is the error of a trigger that sent nothing.
type TriggerError struct {
	// Reason is a short code for the refusal, the same as in the answers
	// of TriggerPath: no_webhook for ErrNoWebhook, and so on.
	Reason string
	// Event is the event that was triggered.
	Event string
	// Err is the sentinel error (ErrNoWebhook, ...) with context.
	Err error
}

func (e *TriggerError) Error() string {
	return fmt.Sprintf("no delivery of %q: %v", e.Event, e.Err)
}

func (e *TriggerError) Unwrap() error { return e.Err }

func triggerError(event string, err error) *TriggerError {
	return &TriggerError{Event: event, Err: err, Reason: refusalOf(err).reason}
}

// Trigger makes the sandbox deliver event to the webhook of the account
// apiKey, in the background, the way Glossi does: a POST of the compact JSON
// envelope {"event","timestamp","data"} signed with the webhook's secret in
// the X-Glossi-Signature header, retried after each delay of RetryDelays
// (divided by Options.DeliveryTimeScale) on a non-2xx answer, a timeout or a
// connection error, with the same body and signature. data must be a JSON
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

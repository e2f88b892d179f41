package sandbox

import (
	"errors"
	"fmt"
	"net/http"
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

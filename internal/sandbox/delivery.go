package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

const (
	// DefaultDeliveryWorkers is how many attempts run at once by default.
	DefaultDeliveryWorkers = 4

	// DefaultDeliveryQueueSize is how many deliveries may wait for a worker
	// by default before Trigger refuses more with ErrQueueFull.
	DefaultDeliveryQueueSize = 100

	// maxResponseSnippet bounds the part of a receiver's answer kept in an
	// Attempt.
	maxResponseSnippet = 256
)

// DeliveryState is where a delivery stands.
type DeliveryState string

// The states of a delivery.
const (
	DeliveryPending   DeliveryState = "pending"   // Not attempted yet, or waiting for a retry.
	DeliveryDelivered DeliveryState = "delivered" // An attempt got a 2xx answer.
	DeliveryFailed    DeliveryState = "failed"    // All attempts failed; failureCount was incremented.
	DeliveryCancelled DeliveryState = "cancelled" // Stopped by shutdown, or the webhook was deleted or disabled.
)

// Attempt is one delivery attempt.
type Attempt struct {
	// Number counts from 1 (the first attempt) to MaxAttempts.
	Number int `json:"attempt"`
	// Time is when the attempt started, according to Options.Now.
	Time time.Time `json:"time"`
	// Status is the HTTP status answered, or 0 when there was no answer.
	Status int `json:"status,omitempty"`
	// Error says why there was no answer: "connection refused",
	// "timeout after 30s", ... Empty when there was an answer.
	Error string `json:"error,omitempty"`
	// Response is the start of the receiver's answer (at most 256 bytes)
	// when the status is not 2xx.
	Response string `json:"response,omitempty"`
	// Duration is how long the attempt took.
	Duration time.Duration `json:"-"`
}

// OK reports whether the attempt got a 2xx answer.
func (a Attempt) OK() bool { return a.Status >= 200 && a.Status <= 299 }

// Outcome says how the attempt ended, for a log line: "200 OK", or the
// reason there was no answer.
func (a Attempt) Outcome() string {
	if a.Error != "" {
		return a.Error
	}
	return fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
}

// Delivery is one event sent to an account's webhook, with its retries. Its
// methods are safe for concurrent use. The signature and the secret are
// never exposed.
type Delivery struct {
	id, event, url, apiKey, webhookID string
	body                              []byte
	signature                         string

	first chan struct{} // Closed after the first attempt (or cancellation).
	done  chan struct{} // Closed when the delivery is finished.

	mu        sync.Mutex
	attempts  []Attempt
	state     DeliveryState
	nextRetry time.Time
	reason    string // Why a delivery was cancelled.
	firstOnce sync.Once
}

// ID is the delivery's id (a UUID), unrelated to the webhook's.
func (d *Delivery) ID() string { return d.id }

// Event is the event type delivered.
func (d *Delivery) Event() string { return d.event }

// URL is the webhook URL the delivery is sent to (the one at trigger time).
func (d *Delivery) URL() string { return d.url }

// Body returns a copy of the exact bytes sent (and signed) on every attempt.
func (d *Delivery) Body() []byte { return bytes.Clone(d.body) }

// Attempts returns a copy of the attempts made so far.
func (d *Delivery) Attempts() []Attempt {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Attempt(nil), d.attempts...)
}

// State returns where the delivery stands.
func (d *Delivery) State() DeliveryState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state
}

// NextRetry returns when the next attempt is due, or the zero time when
// none is scheduled.
func (d *Delivery) NextRetry() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nextRetry
}

// CancelReason says why a cancelled delivery was stopped.
func (d *Delivery) CancelReason() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reason
}

// Done is closed when the delivery is delivered, failed or cancelled.
func (d *Delivery) Done() <-chan struct{} { return d.done }

// WaitFirst waits until the first attempt is made (or the delivery is
// cancelled before it), or ctx is done.
func (d *Delivery) WaitFirst(ctx context.Context) error {
	select {
	case <-d.first:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait waits until the delivery is finished, or ctx is done.
func (d *Delivery) Wait(ctx context.Context) error {
	select {
	case <-d.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *Delivery) markFirst() { d.firstOnce.Do(func() { close(d.first) }) }

// finish sets a final state once.
func (d *Delivery) finish(st DeliveryState, reason string) bool {
	d.mu.Lock()
	if d.state != DeliveryPending {
		d.mu.Unlock()
		return false
	}
	d.state, d.reason, d.nextRetry = st, reason, time.Time{}
	d.mu.Unlock()
	d.markFirst()
	close(d.done)
	return true
}

// engine sends deliveries: a bounded queue of attempts, a pool of workers,

package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// Delivery schedule of the Glossi documentation: a first attempt, then three
// retries after these delays, each attempt timing out after DeliveryTimeout.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}

const (
	// DefaultDeliveryTimeout is how long one delivery attempt may take, as
	// the Glossi documentation says, before Options.DeliveryTimeScale.
	DefaultDeliveryTimeout = 30 * time.Second

	// MinScaledDeliveryTimeout is the shortest timeout DeliveryTimeScale
	// produces, so that a loaded machine does not time out a loopback
	// receiver. Options.DeliveryTimeout sets a shorter one explicitly.
	MinScaledDeliveryTimeout = time.Second

	// DefaultDeliveryWorkers is how many attempts run at once by default.
	DefaultDeliveryWorkers = 4

	// DefaultDeliveryQueueSize is how many deliveries may wait for a worker
	// by default before Trigger refuses more with ErrQueueFull.
	DefaultDeliveryQueueSize = 100

	// MaxAttempts is the number of attempts of a delivery: the first one and
	// three retries.
	MaxAttempts = 4

	// maxResponseSnippet bounds the part of a receiver's answer kept in an
	// Attempt.
	maxResponseSnippet = 256
)

// Reasons why Trigger sends nothing. The errors Trigger returns are
// *TriggerError values that wrap one of these; test them with errors.Is.
var (
	ErrNoWebhook       = errors.New("the account has no webhook")
	ErrWebhookDisabled = errors.New("the webhook is disabled")
	ErrNotSubscribed   = errors.New("the webhook is not subscribed to this event")
	ErrUnknownEvent    = errors.New("unknown event")
	ErrInvalidData     = errors.New("invalid event data")
	ErrQueueFull       = errors.New("the delivery queue is full")
	ErrClosed          = errors.New("the sandbox is shut down")
)

// reasonCodes names each refusal in the JSON answers of the trigger
// endpoint.
var reasonCodes = map[error]string{
	ErrNoWebhook:       "no_webhook",
	ErrWebhookDisabled: "webhook_disabled",
	ErrNotSubscribed:   "not_subscribed",
	ErrUnknownEvent:    "unknown_event",
	ErrInvalidData:     "invalid_data",
	ErrQueueFull:       "queue_full",
	ErrClosed:          "shut_down",
}

// TriggerError is the error of a trigger that sent nothing.
type TriggerError struct {
	// Reason is a short code for the refusal: no_webhook,
	// webhook_disabled, not_subscribed, unknown_event, invalid_data,
	// queue_full or shut_down.
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
	te := &TriggerError{Event: event, Err: err}
	for sentinel, code := range reasonCodes {
		if errors.Is(err, sentinel) {
			te.Reason = code
		}
	}
	return te
}

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
// and one goroutine per pending retry.
type engine struct {
	s      *Sandbox
	ctx    context.Context
	cancel context.CancelFunc
	queue  chan *Delivery
	client *http.Client
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	pending map[*Delivery]struct{} // Not finished.
}

// engine returns the delivery engine, starting it on first use, or nil
// after Shutdown.
func (s *Sandbox) engine() *engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutdown {
		return nil
	}
	if s.eng == nil {
		o := s.opts
		workers := o.DeliveryWorkers
		if workers <= 0 {
			workers = DefaultDeliveryWorkers
		}
		size := o.DeliveryQueueSize
		if size <= 0 {
			size = DefaultDeliveryQueueSize
		}
		ctx, cancel := context.WithCancel(context.Background())
		e := &engine{
			s:      s,
			ctx:    ctx,
			cancel: cancel,
			queue:  make(chan *Delivery, size),
			client: &http.Client{
				Transport: &http.Transport{
					Proxy:               nil, // Never send deliveries through an HTTP_PROXY.
					DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
					MaxIdleConnsPerHost: workers,
					IdleConnTimeout:     30 * time.Second,
				},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			},
			pending: make(map[*Delivery]struct{}),
		}
		for range workers {
			e.wg.Go(e.work)
		}
		s.eng = e
	}
	return s.eng
}

// Trigger makes the sandbox deliver event to the webhook of the account
// apiKey, in the background, the way Glossi does: a POST of the compact JSON
// envelope {"event","timestamp","data"} signed with the webhook's secret in
// the X-Glossi-Signature header, retried after 1, 5 and 30 minutes (divided
// by Options.DeliveryTimeScale) on a non-2xx answer, a timeout or a
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
	case !containsString(h.Events, event):
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
	if e.closed {
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

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// work runs attempts from the queue until shutdown.
func (e *engine) work() {
	for {
		select {
		case <-e.ctx.Done():
			return
		case d := <-e.queue:
			e.attempt(d)
		}
	}
}

// attempt makes the next attempt of d and schedules a retry if needed.
func (e *engine) attempt(d *Delivery) {
	if e.ctx.Err() != nil {
		e.finish(d, DeliveryCancelled, "the sandbox shut down")
		return
	}
	opts := e.s.options()
	h, ok := e.s.store.get(d.apiKey)
	switch {
	case !ok || h.ID != d.webhookID:
		e.finish(d, DeliveryCancelled, "the webhook was deleted")
		return
	case !h.Enabled:
		e.finish(d, DeliveryCancelled, "the webhook was disabled")
		return
	}

	d.mu.Lock()
	n := len(d.attempts) + 1
	d.nextRetry = time.Time{}
	d.mu.Unlock()

	a := Attempt{Number: n, Time: opts.Now()}
	start := time.Now()
	timeout := deliveryTimeout(opts)
	ctx, cancel := context.WithTimeout(e.ctx, timeout)
	status, snippet, err := e.post(ctx, d)
	cancel()
	a.Duration = time.Since(start)
	switch {
	case err != nil && e.ctx.Err() != nil:
		e.finish(d, DeliveryCancelled, "the sandbox shut down during an attempt")
		return
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		a.Error = fmt.Sprintf("timeout after %v", timeout)
	case err != nil:
		a.Error = describeNetError(err)
	default:
		a.Status = status
		if !a.OK() {
			a.Response = snippet
		}
	}
	exhausted := !a.OK() && n >= MaxAttempts
	e.s.store.recordDeliveryFor(d.apiKey, d.webhookID, a.Time, a.Status, exhausted)

	d.mu.Lock()
	d.attempts = append(d.attempts, a)
	d.mu.Unlock()
	outcome := a.Error
	if outcome == "" {
		outcome = fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
	}
	e.s.logf("delivery %s: %s attempt %d/%d -> %s", d.id, d.event, n, MaxAttempts, outcome)

	switch {
	case a.OK():
		e.finish(d, DeliveryDelivered, "")
	case exhausted:
		e.finish(d, DeliveryFailed, "")
	default:
		delay := scaled(retryDelays[n-1], opts.DeliveryTimeScale)
		d.mu.Lock()
		d.nextRetry = a.Time.Add(delay)
		d.mu.Unlock()
		d.markFirst()
		e.wg.Go(func() { e.retryAfter(d, delay) })
	}
}

// retryAfter queues d again after delay, unless the sandbox shuts down.
func (e *engine) retryAfter(d *Delivery, delay time.Duration) {
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-e.ctx.Done():
		e.finish(d, DeliveryCancelled, "the sandbox shut down before a retry")
		return
	}
	select {
	case e.queue <- d:
	case <-e.ctx.Done():
		e.finish(d, DeliveryCancelled, "the sandbox shut down before a retry")
	}
}

func (e *engine) finish(d *Delivery, st DeliveryState, reason string) {
	if d.finish(st, reason) && reason != "" {
		e.s.logf("delivery %s: %s %s: %s", d.id, d.event, st, reason)
	}
	e.mu.Lock()
	delete(e.pending, d)
	e.mu.Unlock()
}

// post sends d once and returns the status and the start of the answer.
func (e *engine) post(ctx context.Context, d *Delivery) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(d.body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", DeliveryContentType)
	req.Header.Set("User-Agent", DeliveryUserAgent)
	req.Header.Set(glossiwebhook.SignatureHeader, d.signature)
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, truncate(string(b), maxResponseSnippet), nil
}

// describeNetError returns a short reason for a failed request.
func describeNetError(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed without an answer"
	}
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok {
		return "DNS lookup failed: " + dnsErr.Err
	}
	return "connection error: " + err.Error()
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// deliveryTimeout returns the timeout of one attempt.
func deliveryTimeout(o Options) time.Duration {
	if o.DeliveryTimeout > 0 {
		return o.DeliveryTimeout
	}
	t := scaled(DefaultDeliveryTimeout, o.DeliveryTimeScale)
	if t < MinScaledDeliveryTimeout {
		t = MinScaledDeliveryTimeout
	}
	return t
}

// scaled divides d by scale; a scale of 0 (or less) means 1.
func scaled(d time.Duration, scale float64) time.Duration {
	if scale <= 0 {
		return d
	}
	return time.Duration(float64(d) / scale)
}

// RetryDelays returns the delays before the three retries of a delivery
// under the time scale (see Options.DeliveryTimeScale).
func RetryDelays(timeScale float64) []time.Duration {
	out := make([]time.Duration, len(retryDelays))
	for i, d := range retryDelays {
		out[i] = scaled(d, timeScale)
	}
	return out
}

// Shutdown stops delivering: triggers are refused with ErrClosed, queued
// deliveries and pending retries are cancelled, and attempts in flight are
// aborted. It waits for every delivery goroutine to end, or for ctx, then
// releases the state file of NewPersistent. The API handler keeps answering;
// only deliveries stop.
func (s *Sandbox) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown = true
	e := s.eng
	s.mu.Unlock()
	if s.unlockState != nil {
		defer s.unlockState() // once deliveries, which save statistics, have stopped
	}
	if e == nil {
		return nil
	}
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.cancel()

	finished := make(chan struct{})
	go func() {
		e.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Whatever is left (queued, never started) is cancelled.
	e.mu.Lock()
	left := make([]*Delivery, 0, len(e.pending))
	for d := range e.pending {
		left = append(left, d)
	}
	e.mu.Unlock()
	for _, d := range left {
		e.finish(d, DeliveryCancelled, "the sandbox shut down")
	}
	e.client.CloseIdleConnections()
	return nil
}

// Close is Shutdown without a deadline.
func (s *Sandbox) Close() error {
	return s.Shutdown(context.Background())
}

// logf writes a line to Options.Logf, if set.
func (s *Sandbox) logf(format string, args ...any) {
	if f := s.options().Logf; f != nil {
		f(format, args...)
	}
}

package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

type engine struct {
	s      *Sandbox
	ctx    context.Context
	cancel context.CancelFunc
	queue  chan *Delivery
	client *http.Client
	wg     sync.WaitGroup

	mu      sync.Mutex             // Guards pending, and orders Trigger against Shutdown's cancel.
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
	signature := d.signature
	if opts.ResignRetries && n > 1 {
		signature = glossiwebhook.Sign(d.body, h.Secret)
	}
	status, snippet, err := e.post(ctx, d, signature)
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
	retries := RetriesLeft
	if !a.OK() && n >= MaxAttempts {
		retries = RetriesExhausted
	}
	e.s.store.recordDeliveryFor(d.apiKey, d.webhookID, a.Time, a.Status, retries)

	d.mu.Lock()
	d.attempts = append(d.attempts, a)
	d.mu.Unlock()
	e.s.logf("delivery %s: %s attempt %d/%d -> %s", d.id, d.event, n, MaxAttempts, a.Outcome())

	switch {
	case a.OK():
		e.finish(d, DeliveryDelivered, "")
	case retries == RetriesExhausted:
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

// post sends d once, signed with signature, and returns the status and the
// start of the answer.
func (e *engine) post(ctx context.Context, d *Delivery, signature string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(d.body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", DeliveryContentType)
	req.Header.Set("User-Agent", DeliveryUserAgent)
	req.Header.Set(glossiwebhook.SignatureHeader, signature)
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

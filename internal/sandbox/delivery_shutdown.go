package sandbox

import (
	"context"
)

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
	e.cancel() // under e.mu, so that no Trigger enqueues after it
	e.mu.Unlock()

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

package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// newHandler returns the receiver's routes: POST path, verified by v and
// deduplicated by s's deduper; each delivery handled is logged, recorded in
// s, and answered after s.delay.
func newHandler(v *glossiwebhook.Verifier, s stores, path string, logger *log.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(path, v.Middleware(glossiwebhook.Deduplicate(s.deduper, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		logger.Printf("verified %s (%s): %s", ev.Type, ev.Timestamp.Format(time.RFC3339Nano), describe(ev))
		if err := s.record(r.Context(), ev); err != nil {
			logger.Printf("could not record %s: %v", ev.Type, err) // never the DedupKey: the signature's hex
			http.Error(w, "could not record the event", http.StatusInternalServerError)
			return
		}
		time.Sleep(s.delay)
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "OK")
	}), glossiwebhook.WithLease(s.lease))))
	return mux
}

// newVerifier returns a Verifier for s that logs what it refuses.
func newVerifier(s secrets, readTimeout time.Duration, logger *log.Logger) (*glossiwebhook.Verifier, error) {
	v, err := glossiwebhook.NewVerifier(s.current,
		glossiwebhook.WithReadTimeout(readTimeout),
		glossiwebhook.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			status := glossiwebhook.HTTPStatus(err)
			logger.Printf("rejected delivery from %s: %d %v", r.RemoteAddr, status, err)
			http.Error(w, http.StatusText(status), status)
		}))
	if err != nil {
		return nil, err
	}
	if err := s.apply(v); err != nil {
		return nil, err
	}
	return v, nil
}

// describe summarizes an event from its typed payload.
func describe(ev *glossiwebhook.Event) string {
	var s string
	var err error
	switch ev.Type {
	case glossiwebhook.EventModelProcessed:
		d, e := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
		s, err = fmt.Sprintf("model %q (%s) is %s", d.Name, d.ModelID, d.Status), e
	case glossiwebhook.EventModelFailed:
		d, e := glossiwebhook.DataAs[glossiwebhook.ModelFailed](ev)
		s, err = fmt.Sprintf("model %q (%s) failed: %s", d.Name, d.ModelID, d.Error), e
	case glossiwebhook.EventProjectCreated:
		d, e := glossiwebhook.DataAs[glossiwebhook.ProjectCreated](ev)
		s, err = fmt.Sprintf("project %q (%s) created with %d model(s)", d.Name, d.ProjectID, len(d.ModelIDs)), e
	case glossiwebhook.EventJobComplete:
		d, e := glossiwebhook.DataAs[glossiwebhook.JobComplete](ev)
		s, err = fmt.Sprintf("job %s %s with %d result(s)", d.JobID, d.Status, len(d.Results)), e
	case glossiwebhook.EventJobFailed:
		d, e := glossiwebhook.DataAs[glossiwebhook.JobFailed](ev)
		s, err = fmt.Sprintf("job %s failed: %s", d.JobID, d.Error), e
	case glossiwebhook.EventRenderComplete:
		d, e := glossiwebhook.DataAs[glossiwebhook.RenderComplete](ev)
		s, err = fmt.Sprintf("render job %s of project %s %s: %d render(s)", d.JobID, d.ProjectID, d.Status, len(d.RenderIDs)), e
	case glossiwebhook.EventRenderFailed:
		d, e := glossiwebhook.DataAs[glossiwebhook.RenderFailed](ev)
		s, err = fmt.Sprintf("render job %s of project %s failed: %s", d.JobID, d.ProjectID, d.Error), e
	default:
		return fmt.Sprintf("event type this receiver does not know (%d bytes of data), ignored", len(ev.Data))
	}
	if err != nil {
		return "undecodable data: " + err.Error()
	}
	return s
}

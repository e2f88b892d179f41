package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Ctrl-C while trigger or send waits for an answer says "interrupted" and exits 130, not "cannot
// reach the sandbox ... interrupt signal received".
func TestInterrupted_whileWaitingForAnAnswer(t *testing.T) {
	clearEnv(t)
	arrived := make(chan struct{}, 2)
	waiting := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client go away
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(waiting.Close)
	for cmd, args := range map[string][]string{
		"trigger": {"trigger", "job.failed", "--url", waiting.URL, "--api-key", "k"},
		"send":    {"send", "job.failed", "--url", waiting.URL, "--secret", "whsec_interrupted"},
	} {
		// What signal.NotifyContext does on SIGINT: cancel with this cause.
		ctx, cancel := context.WithCancelCause(context.Background())
		go func() {
			<-arrived
			cancel(errors.New("interrupt signal received"))
		}()
		var stdout, stderr bytes.Buffer
		code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
		if want := "glossi-sandbox " + cmd + ": interrupted\n"; code != exitInterrupted || stderr.String() != want {
			t.Errorf("%s interrupted: exit %d, stderr %q; want %d and %q", cmd, code, stderr.String(), exitInterrupted, want)
		}
	}
}

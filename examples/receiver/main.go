// Command receiver is an example Glossi webhook receiver: it verifies each
// delivery with glossiwebhook's Middleware, logs the typed event and answers
// 200. Deliveries with a bad signature are refused with 401 and logged.
//
//	GLOSSI_WEBHOOK_SECRET=whsec_... go run ./examples/receiver --addr 127.0.0.1:0
//
// The first line on stdout is the URL to configure as the webhook's url;
// the log follows on stdout.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(exitCode(run(ctx, os.Args[1:], os.Getenv, os.Stdout), os.Stderr))
}

// exitCode prints err and returns the exit code for it: 0 after --help, which
// is not a failure, 2 for bad flags, 1 for other errors.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "receiver:", err)
	return 1
}

// errUsage marks bad flags, which the flag package has already reported.
var errUsage = errors.New("usage")

// run serves until ctx is done.
func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(out)
	// No flag default: PrintDefaults would show it beside the one the help text gives.
	addr := fs.String("addr", "", "`address` to listen on (default $RECEIVER_ADDR, else 127.0.0.1:8090); port 0 picks a free one")
	path := fs.String("path", "/webhooks/glossi", "URL `path` of the webhook endpoint")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *addr == "" {
		*addr = cmp.Or(getenv("RECEIVER_ADDR"), "127.0.0.1:8090")
	}
	logger := log.New(out, "", log.LstdFlags|log.Lmicroseconds)
	h, err := newHandler(getenv("GLOSSI_WEBHOOK_SECRET"), *path, logger)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "http://%s%s\n", ln.Addr(), *path)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Printf("stopped")
	return nil
}

// newHandler returns the receiver's routes: POST path, verified.
func newHandler(secret, path string, logger *log.Logger) (http.Handler, error) {
	v, err := glossiwebhook.NewVerifier(secret,
		glossiwebhook.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			status := glossiwebhook.HTTPStatus(err)
			logger.Printf("rejected delivery from %s: %d %v", r.RemoteAddr, status, err)
			http.Error(w, http.StatusText(status), status)
		}))
	if errors.Is(err, glossiwebhook.ErrInvalidSecret) {
		return nil, fmt.Errorf("GLOSSI_WEBHOOK_SECRET is not a webhook secret: export the webhook's secret (terraform output -raw ...): %w", err)
	}
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(path, v.Middleware(glossiwebhook.Deduplicate(glossiwebhook.NewMemoryDeduper(0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		logger.Printf("verified %s (%s): %s", ev.Type, ev.Timestamp.Format(time.RFC3339Nano), describe(ev))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "OK")
	}))))
	return mux, nil
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

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const serveSynopsis = `serve [--addr 127.0.0.1:8080] [--api-key KEY]... [--state FILE] [--rotate-secret-on-update] [--time-scale N] [--allow-remote]

Serves the Glossi webhooks API at http://ADDR` + sandbox.BasePath + ` and the control endpoint
POST http://ADDR` + sandbox.TriggerPath + ` (used by "glossi-sandbox trigger"), and
prints the GLOSSI_BASE_URL and GLOSSI_API_KEY to export. Delivery attempts are
logged on stderr. Stops cleanly on SIGINT or SIGTERM.

` + stateHelp

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", serveSynopsis, stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
	var givenKeys apiKeys
	fs.Var(&givenKeys, "api-key", "the API `key` of an account, which clients send; repeat it for several accounts (default: the keys in --state, else a generated one)")
	statePath := fs.String("state", "", "JSON `file` that keeps the accounts and their webhooks across restarts, as above (default: memory only)")
	rotate := fs.Bool("rotate-secret-on-update", false, "give the webhook a new secret on every update, not only on create")
	timeScale := fs.Float64("time-scale", 1, timeScaleHelp())
	allowRemote := fs.Bool("allow-remote", false, "allow listening on an address other machines can reach")
	shutdownTimeout := fs.Duration("shutdown-timeout", 5*time.Second, "how long to wait for requests in flight on shutdown")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(stderr, "serve", err)
	}
	if len(positional) > 0 {
		return usageError(stderr, "serve", fmt.Errorf("unexpected argument %q", positional[0]))
	}
	if *timeScale <= 0 {
		return usageError(stderr, "serve", errors.New("--time-scale must be positive"))
	}
	if err = checkLoopback(*addr, *allowRemote); err != nil {
		return usageError(stderr, "serve", err)
	}

	if err = givenKeys.check(); err != nil {
		return usageError(stderr, "serve", err)
	}

	logger := log.New(&lockedWriter{w: stderr}, "glossi-sandbox: ", log.LstdFlags|log.Lmicroseconds)
	sb, err := newSandbox(sandbox.Options{
		APIKeys:              givenKeys,
		RotateSecretOnUpdate: *rotate,
		DeliveryTimeScale:    *timeScale,
		Logf:                 logger.Printf,
	}, *statePath)
	if err != nil {
		return fail(stderr, "serve", "%v", err)
	}
	keys := sb.APIKeys()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		_ = sb.Close() // releases the state file
		return fail(stderr, "serve", "%v", err)
	}
	root := "http://" + ln.Addr().String()
	baseURL := root + sandbox.BasePath
	fmt.Fprintf(stdout, "Glossi sandbox listening on %s\n", root)
	fmt.Fprintf(stdout, "  base_url: %s\n", baseURL)
	fmt.Fprintln(stdout, keysLine(keys))
	fmt.Fprintf(stdout, "  trigger:  POST %s%s\n", root, sandbox.TriggerPath)
	if *statePath != "" {
		fmt.Fprintf(stdout, "  state:    %s\n", *statePath)
	}
	fmt.Fprintf(stdout, "  retries:  after %v (time scale %g)\n", sandbox.RetryDelays(*timeScale), *timeScale)
	fmt.Fprintf(stdout, "Point the provider and glossi-sandbox trigger at it with:\n")
	fmt.Fprintf(stdout, "export %s=%s\n", envBaseURL, shellQuote(baseURL))
	fmt.Fprintf(stdout, "export %s=%s\n", envAPIKey, shellQuote(keys[0]))

	srv := &http.Server{
		Handler:           sb,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		_ = sb.Close()
		return fail(stderr, "serve", "%v", err)
	case <-ctx.Done():
	}
	logger.Printf("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	code := exitOK
	if err := srv.Shutdown(sctx); err != nil {
		logger.Printf("stopping the HTTP server: %v", err)
		code = exitFailure
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serving: %v", err)
	}
	if err := sb.Shutdown(sctx); err != nil {
		logger.Printf("stopping deliveries: %v", err)
		code = exitFailure
	}
	logger.Printf("stopped")
	return code
}

// checkLoopback refuses an address other machines can reach, unless allowed.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", addr, err)
	}
	if allowRemote {
		return nil
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %q, which other machines may reach: the sandbox has no real security; use 127.0.0.1 or pass --allow-remote", addr)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r)
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// lockedWriter serializes writes, so log lines of concurrent goroutines do
// not interleave when the writer is not safe for concurrent use.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

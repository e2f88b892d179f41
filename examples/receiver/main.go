// Command receiver is an example Glossi webhook receiver: it verifies each
// delivery with glossiwebhook's Middleware, handles it once (Deduplicate, in
// memory, or on Redis or PostgreSQL for several replicas), logs the typed
// event, records it in PostgreSQL with --postgres, and answers 200.
// Deliveries with a bad signature are refused with 401 and logged.
//
//	GLOSSI_WEBHOOK_SECRET=whsec_... go run ./examples/receiver --addr 127.0.0.1:0
//	go run ./examples/receiver --secret-dir /etc/glossi-webhook --redis 127.0.0.1:6379
//	go run ./examples/receiver --postgres 'postgres://receiver@db/app?pool_max_conns=32'
//
// With --secret-dir or --secret-file it reads its secrets from files and
// reloads them when they change and on SIGHUP; with --secret-age-identity, the
// encrypted secrets of a glossi_webhook with secret_recipients, from --secret-dir. The first line on stdout is
// the URL to configure as the webhook's url; the log follows on stdout.
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

type config struct {
	addr, path  string
	store       storeConfig
	files       *secretFiles // nil: the secret is $GLOSSI_WEBHOOK_SECRET
	reloadEvery time.Duration
	readTimeout time.Duration
}

func parseFlags(args []string, getenv func(string) string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	var dir, ageIdentity string
	var f secretFiles
	// No flag default: PrintDefaults would show it beside the one the help text gives.
	fs.StringVar(&c.addr, "addr", "", "`address` to listen on (default $RECEIVER_ADDR, else 127.0.0.1:8090); port 0 picks a free one")
	fs.StringVar(&c.path, "path", "/webhooks/glossi", "URL `path` of the webhook endpoint")
	c.store.register(fs)
	fs.StringVar(&dir, "secret-dir", "", "`directory` holding the files secret, and optionally previous_secret and secret_rotated_at (a mounted Kubernetes Secret); reloaded when they change")
	fs.StringVar(&ageIdentity, "secret-age-identity", "", "age identity `file` (age-keygen's, or an SSH private key) decrypting secret_ciphertext and previous_secret_ciphertext of --secret-dir, the resource's secrets with secret_recipients set")
	fs.StringVar(&f.secret, "secret-file", "", "`file` holding the webhook secret, reloaded when it changes (default: $GLOSSI_WEBHOOK_SECRET)")
	fs.StringVar(&f.previous, "previous-secret-file", "", "`file` holding the secret the last rotation replaced, accepted until an hour after --rotated-at-file")
	fs.StringVar(&f.rotatedAt, "rotated-at-file", "", "`file` holding the time of the last rotation (RFC 3339, the resource's secret_rotated_at)")
	fs.DurationVar(&c.reloadEvery, "reload-interval", time.Second, "how often to check the secret files for a change")
	fs.DurationVar(&c.readTimeout, "read-timeout", 10*time.Second, "longest time to read a request body; slower clients are cut off")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, fmt.Errorf("%w: %w", errUsage, err)
	}
	c.addr = cmp.Or(c.addr, getenv("RECEIVER_ADDR"), "127.0.0.1:8090")
	switch {
	case dir != "" && f.secret != "":
		return c, errors.New("give --secret-dir or --secret-file, not both")
	case ageIdentity != "" && dir == "":
		return c, errors.New("--secret-age-identity needs --secret-dir, the folder holding secret_ciphertext")
	case ageIdentity != "":
		ids, err := readAgeIdentity(ageIdentity)
		if err != nil {
			return c, err
		}
		f = filesInDir(dir, ids)
		c.files = &f
	case dir != "":
		f = filesInDir(dir, nil)
		c.files = &f
	case f.secret != "":
		c.files = &f
	case f.previous != "" || f.rotatedAt != "":
		return c, errors.New("--previous-secret-file and --rotated-at-file need --secret-file")
	}
	if c.files != nil && !c.files.optional && (f.previous == "") != (f.rotatedAt == "") {
		return c, errors.New("give --previous-secret-file and --rotated-at-file together")
	}
	if c.reloadEvery <= 0 || c.readTimeout <= 0 {
		return c, errors.New("--reload-interval and --read-timeout must be positive")
	}
	return c, c.store.check()
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	cfg, err := parseFlags(args, getenv, out)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed once, by the flag package
	}
	if err != nil {
		return err
	}
	logger := log.New(out, "", log.LstdFlags|log.Lmicroseconds)
	v, s, err := cfg.verifier(getenv, logger)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.addr)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go watchSecrets(ctx, cfg, &reloader{files: derefFiles(cfg.files), v: v, logger: logger, last: s, polled: reading{s: s}}, hup)
	fmt.Fprintf(out, "http://%s%s\n", ln.Addr(), cfg.path)
	logger.Printf("verifying with %v", v)
	st, closeStores, err := openStores(ctx, cfg.store, logger)
	defer closeStores()
	if err != nil {
		_ = ln.Close()
		return err
	}
	return serve(ctx, newServer(newHandler(v, st, cfg.path, logger), cfg.readTimeout), ln, logger)
}

// noSecret is where the secret comes from when none is given: every way to give one.
const noSecret = "no secret (set GLOSSI_WEBHOOK_SECRET, or pass --secret-file FILE or --secret-dir DIR)"

// verifier reads the secrets from the files or the environment.
func (c config) verifier(getenv func(string) string, logger *log.Logger) (*glossiwebhook.Verifier, secrets, error) {
	source := "GLOSSI_WEBHOOK_SECRET"
	s := secrets{current: getenv("GLOSSI_WEBHOOK_SECRET")}
	if s.current == "" {
		source = noSecret
	}
	if c.files != nil {
		source = "the secret files"
		var err error
		if s, err = c.files.load(); err != nil {
			return nil, s, err
		}
	}
	v, err := newVerifier(s, c.readTimeout, logger)
	if errors.Is(err, glossiwebhook.ErrInvalidSecret) {
		return nil, s, secretError(source, err)
	}
	return v, s, err
}

func derefFiles(f *secretFiles) secretFiles {
	if f == nil {
		return secretFiles{}
	}
	return *f
}

// watchSecrets reloads the secret files every cfg.reloadEvery if they
// changed (Kubernetes updates a mounted Secret in place), and on SIGHUP.
func watchSecrets(ctx context.Context, cfg config, r *reloader, hup <-chan os.Signal) {
	tick := time.NewTicker(cfg.reloadEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if cfg.files != nil {
				r.reload("files changed", false)
			}
		case <-hup:
			if cfg.files == nil {
				r.logger.Printf("SIGHUP: the secret comes from GLOSSI_WEBHOOK_SECRET, which cannot change; use --secret-file or --secret-dir to reload")
				continue
			}
			r.reload("SIGHUP", true)
		}
	}
}

// newServer bounds every phase of a request, so that slow or idle clients
// cannot hold connections open.
func newServer(h http.Handler, readTimeout time.Duration) *http.Server {
	header := min(5*time.Second, readTimeout)
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: header,
		ReadTimeout:       header + readTimeout,
		WriteTimeout:      header + readTimeout + 30*time.Second,
		IdleTimeout:       time.Minute,
	}
}

func serve(ctx context.Context, srv *http.Server, ln net.Listener, logger *log.Logger) error {
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

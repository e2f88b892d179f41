package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Environment variables read for defaults, so that keys and secrets need not
// appear on command lines.
const (
	envBaseURL = "GLOSSI_BASE_URL"
	envAPIKey  = "GLOSSI_API_KEY"
	envSecret  = "GLOSSI_WEBHOOK_SECRET" //nolint:gosec // G101: the name of a variable, not a credential.
)

// newFlagSet returns a flag set for the command name whose --help prints
// synopsis and the flags to stdout.
func newFlagSet(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("glossi-sandbox "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: glossi-sandbox %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseArgs parses flags and positional arguments in any order. It returns
// errHelp for -h/--help, after fs.Parse has printed the usage.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

var errHelp = errors.New("help shown")

// envOr returns the environment variable name, or def when it is empty.
func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

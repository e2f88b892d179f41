package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // The command ran but did not succeed: refused, not delivered, not verified.
	exitUsage   = 2 // Bad flags or arguments.
)

// Environment variables read for defaults, so that keys and secrets need not
// appear on command lines.
const (
	envBaseURL = "GLOSSI_BASE_URL"
	envAPIKey  = "GLOSSI_API_KEY"
	envSecret  = "GLOSSI_WEBHOOK_SECRET" //nolint:gosec // G101: the name of a variable, not a credential.
)

// command is one subcommand.
type command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// run runs the command line args (without the program name) and returns the
// exit code. Errors are one line on stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = io.WriteString(stderr, usage())
		return exitUsage
	}
	commands := map[string]command{
		"serve":   runServe,
		"trigger": runTrigger,
		"send":    runSend,
		"verify":  runVerify,
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		_, _ = io.WriteString(stdout, usage())
		return exitOK
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(stderr, "glossi-sandbox: unknown command %q; run glossi-sandbox --help\n", name)
			return exitUsage
		}
		return cmd(ctx, args[1:], stdin, stdout, stderr)
	}
}

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

// usageError prints err as a usage error and returns exitUsage (or exitOK
// after --help).
func usageError(stderr io.Writer, cmd string, err error) int {
	if errors.Is(err, errHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "glossi-sandbox %s: %v (see glossi-sandbox %s --help)\n", cmd, oneLine(err.Error()), cmd)
	return exitUsage
}

// fail prints a one-line error and returns exitFailure.
func fail(stderr io.Writer, cmd string, format string, args ...any) int {
	fmt.Fprintf(stderr, "glossi-sandbox %s: %s\n", cmd, oneLine(fmt.Sprintf(format, args...)))
	return exitFailure
}

// oneLine folds s onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// readData reads the --data argument: a file, "-" for stdin, or "" for none.
func readData(path string, stdin io.Reader) ([]byte, error) {
	var data []byte
	var err error
	switch path {
	case "":
		return nil, nil
	case "-":
		data, err = io.ReadAll(io.LimitReader(stdin, 1<<20))
	default:
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	// Say where text stops being JSON, not only that it is not a JSON object.
	var syntax *json.SyntaxError
	if err := json.Unmarshal(data, new(json.RawMessage)); errors.As(err, &syntax) {
		return nil, fmt.Errorf("%s is not JSON: %v at byte %d", dataName(path), err, syntax.Offset)
	} else if err != nil {
		return nil, fmt.Errorf("%s is not JSON: %v", dataName(path), err)
	}
	return data, nil
}

// dataName names the --data source in messages.
func dataName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// secretFrom returns the --secret flag, else GLOSSI_WEBHOOK_SECRET, checked by the rule and
// with the words of every Glossi tool (glossiwebhook.CheckSecret).
func secretFrom(flagValue string) (string, error) {
	secret := flagValue
	if secret == "" {
		secret = os.Getenv(envSecret)
	}
	if err := glossiwebhook.CheckSecret(secret); err != nil {
		return "", fmt.Errorf("%s: %w", secretSource(flagValue), err)
	}
	return secret, nil
}

// secretSource names where secretFrom took its secret from, for an error about it.
func secretSource(flagValue string) string {
	switch {
	case flagValue != "":
		return "--secret"
	case os.Getenv(envSecret) != "":
		return "$" + envSecret
	}
	return "no secret (set $" + envSecret + " or pass --secret)"
}

// envOr returns the environment variable name, or def when it is empty.
func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

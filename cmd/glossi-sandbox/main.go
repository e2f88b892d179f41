// Command glossi-sandbox runs a local emulator of the Glossi webhooks API and
// sends signed deliveries, so that a webhook receiver and the Terraform
// provider can be tried without an account or a network.
//
//	glossi-sandbox serve   [--addr 127.0.0.1:8080] [--api-key KEY]... [--state FILE] ...
//	glossi-sandbox trigger EVENT [--data FILE] [--wait first|all|none]
//	glossi-sandbox send    --url URL EVENT [--data FILE]
//	glossi-sandbox verify  --signature SIG < body.json
//
// Run glossi-sandbox help, or any command with --help, for details.
//
// main.go dispatches to the commands, each in its file (serve.go, trigger.go, send.go,
// verify.go), which share the helpers below them: flags.go (flag sets and their defaults from
// the environment), data.go (--data), secrets.go (the webhook secret), output.go (exit
// statuses and one-line errors), interrupt.go (Ctrl-C), helptext.go (help derived from the
// sandbox), accounts.go (serve's accounts and state file), sandbox_client.go (trigger's HTTP
// client of a running serve) and ordered_json.go (verify's re-serializations).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// commands are the subcommands, by name.
var commands = map[string]command{
	"serve":   runServe,
	"trigger": runTrigger,
	"send":    runSend,
	"verify":  runVerify,
}

// run runs the command line args (without the program name) and returns the
// exit code. Errors are one line on stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = io.WriteString(stderr, usage())
		return exitUsage
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

// usage is the help of glossi-sandbox itself: each command's synopsis line, and the events
// as the sandbox declares them.
func usage() string {
	var b strings.Builder
	b.WriteString("glossi-sandbox: a local Glossi webhooks API and delivery tools, offline.\n\nUsage:\n")
	for _, synopsis := range []string{serveSynopsis, triggerSynopsis, sendSynopsis(), verifySynopsis} {
		line, _, _ := strings.Cut(synopsis, "\n")
		b.WriteString(wrap("  glossi-sandbox ", line, "      "))
	}
	b.WriteString("\n" + wrap("Events: ", strings.Join(sandbox.EventTypes(), ", ")+".", ""))
	b.WriteString(`
Environment: GLOSSI_BASE_URL and GLOSSI_API_KEY (trigger), GLOSSI_WEBHOOK_SECRET
(send, verify; preferred to --secret, which shows in the shell history).

Run "glossi-sandbox COMMAND --help" for the flags of a command.
`)
	return b.String()
}

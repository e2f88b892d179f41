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
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

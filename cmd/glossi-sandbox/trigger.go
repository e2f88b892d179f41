package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const triggerSynopsis = `trigger EVENT [--data FILE] [--url URL] [--api-key KEY] [--wait first|all|none]

Asks a running "glossi-sandbox serve" to deliver EVENT to the account's webhook
and prints each attempt. Exits 0 when the delivery got a 2xx answer (or, with
--wait none, was queued), 1 when it was refused or not delivered, 130 when
interrupted.`

func runTrigger(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("trigger", triggerSynopsis, stdout)
	dataPath := fs.String("data", "", "JSON `file` with the event's data object (- for stdin; default: sample data)")
	baseURL := fs.String("url", envOr(envBaseURL, "http://127.0.0.1:8080"), "`URL` of the sandbox (default $"+envBaseURL+")")
	apiKey := fs.String("api-key", "", "API `key` of the account (default $"+envAPIKey+")")
	wait := fs.String("wait", sandbox.WaitFirst, "wait for the first attempt, all attempts, or none")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(stderr, "trigger", err)
	}
	if len(positional) != 1 {
		return usageError(stderr, "trigger", errors.New("want exactly one EVENT"))
	}
	event := positional[0]
	switch *wait {
	case sandbox.WaitFirst, sandbox.WaitAll, sandbox.WaitNone:
	default:
		return usageError(stderr, "trigger", fmt.Errorf("--wait %q: want first, all or none", *wait))
	}
	key := *apiKey
	if key == "" {
		key = envOr(envAPIKey, "")
	}
	if key == "" {
		return usageError(stderr, "trigger", errors.New("no API key: pass --api-key or set "+envAPIKey))
	}
	data, err := readData(*dataPath, stdin)
	if err != nil {
		return fail(stderr, "trigger", "--data: %v", err)
	}
	endpoint := sandboxRoot(*baseURL) + sandbox.TriggerPath
	req, err := triggerRequest(ctx, endpoint, key, sandbox.TriggerRequest{Event: event, Data: data, Wait: *wait})
	if err != nil {
		return usageError(stderr, "trigger", err)
	}
	tr, err := triggerSandbox(req)
	switch {
	case err != nil && ctx.Err() != nil:
		return interrupted(stderr, "trigger")
	case err != nil:
		return fail(stderr, "trigger", "%v", err)
	}
	return printDelivery(stdout, tr, *wait)
}

// printDelivery prints tr's attempts and outcome and returns the exit code.
func printDelivery(w io.Writer, tr sandbox.TriggerResponse, wait string) int {
	fmt.Fprintf(w, "delivery %s: %s -> %s\n", tr.ID, tr.Event, tr.URL)
	for _, a := range tr.Attempts {
		outcome := a.Outcome()
		if a.Error == "" && a.Response != "" {
			outcome += ": " + oneLine(a.Response)
		}
		fmt.Fprintf(w, "  attempt %d/%d at %s: %s\n", a.Number, sandbox.MaxAttempts, a.Time.UTC().Format("15:04:05.000"), outcome)
	}
	switch tr.State {
	case sandbox.DeliveryDelivered:
		fmt.Fprintln(w, "delivered")
		return exitOK
	case sandbox.DeliveryFailed:
		fmt.Fprintf(w, "failed after %d attempts: the webhook's failureCount was incremented\n", len(tr.Attempts))
		return exitFailure
	case sandbox.DeliveryCancelled:
		fmt.Fprintf(w, "cancelled: %s\n", tr.Reason)
		return exitFailure
	}
	if wait == sandbox.WaitNone {
		fmt.Fprintln(w, "queued")
		return exitOK
	}
	if tr.NextRetryAt != "" {
		fmt.Fprintf(w, "not delivered yet: next retry at %s\n", tr.NextRetryAt)
	} else {
		fmt.Fprintln(w, "not delivered yet")
	}
	return exitFailure
}

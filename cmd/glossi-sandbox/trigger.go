package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

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
	reqBody, err := json.Marshal(sandbox.TriggerRequest{Event: event, Data: data, Wait: *wait})
	if err != nil {
		return fail(stderr, "trigger", "%v", err)
	}

	endpoint := sandboxRoot(*baseURL) + sandbox.TriggerPath
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(reqBody))
	if err != nil {
		return usageError(stderr, "trigger", fmt.Errorf("--url: %v", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sandbox.APIKeyHeader, key)
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil && ctx.Err() != nil {
		return interrupted(stderr, "trigger")
	}
	if err != nil {
		return fail(stderr, "trigger", "cannot reach the sandbox at %s: %v", endpoint, netError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil && ctx.Err() != nil {
		return interrupted(stderr, "trigger")
	}
	if err != nil {
		return fail(stderr, "trigger", "reading the answer of the sandbox: %v", err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		var er sandbox.TriggerErrorResponse
		if json.Unmarshal(body, &er) == nil && er.Error != "" {
			return fail(stderr, "trigger", "refused (%d %s): %s", resp.StatusCode, er.Reason, er.Error)
		}
		return fail(stderr, "trigger", "the sandbox answered %s: %s", resp.Status, truncate(string(body), 200))
	}
	var tr sandbox.TriggerResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return fail(stderr, "trigger", "unexpected answer from %s (is it a glossi-sandbox?): %v", endpoint, err)
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

// netError strips the method and URL that *url.Error repeats.
func netError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
		return ue.Err
	}
	return err
}

// sandboxRoot turns a base URL (with or without /api/v1) into the sandbox's
// root URL.
func sandboxRoot(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	u = strings.TrimSuffix(u, sandbox.BasePath)
	return strings.TrimRight(u, "/")
}

// truncate cuts s to n bytes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

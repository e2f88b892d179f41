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
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func sendSynopsis() string {
	return "send --url URL EVENT [--secret SECRET] [--data FILE] [--timeout " +
		shortDuration(sandbox.DefaultDeliveryTimeout) + "]\n\n" + sendDescription
}

const sendDescription = `Signs a delivery of EVENT with the webhook secret (from $` + envSecret + `, or
--secret) and POSTs it to URL directly, exactly as Glossi would: a receiver
written in any language can be tested without a sandbox. Prints the status;
exits 1 unless it is 2xx, printing the start of what the receiver answered
(130 when interrupted).`

// maxShownAnswer bounds how much of a receiver's answer send prints.
const maxShownAnswer = 512

func runSend(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("send", sendSynopsis(), stdout)
	target := fs.String("url", "", "`URL` of the receiver (required)")
	secretFlag := fs.String("secret", "", "webhook `secret` to sign with (default $"+envSecret+")")
	dataPath := fs.String("data", "", "JSON `file` with the event's data object (- for stdin; default: sample data)")
	timeout := fs.Duration("timeout", sandbox.DefaultDeliveryTimeout, "how long to wait for the receiver")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(stderr, "send", err)
	}
	if len(positional) != 1 {
		return usageError(stderr, "send", errors.New("want exactly one EVENT"))
	}
	event := positional[0]
	if *target == "" {
		return usageError(stderr, "send", errors.New("--url is required"))
	}
	if u, parseErr := url.Parse(*target); parseErr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError(stderr, "send", fmt.Errorf("--url %q is not an absolute http(s) URL", *target))
	}
	secret, err := secretFrom(*secretFlag)
	if err != nil {
		return usageError(stderr, "send", err)
	}
	data, err := readData(*dataPath, stdin)
	if err != nil {
		return fail(stderr, "send", "--data: %v", err)
	}
	body, err := sandbox.DeliveryBody(event, time.Now(), json.RawMessage(data))
	if err != nil {
		return usageError(stderr, "send", err)
	}

	reqCtx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, *target, bytes.NewReader(body))
	if err != nil {
		return usageError(stderr, "send", err)
	}
	req.Header.Set("Content-Type", sandbox.DeliveryContentType)
	req.Header.Set("User-Agent", sandbox.DeliveryUserAgent)
	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
	client := &http.Client{
		Transport:     &http.Transport{Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, "send")
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fail(stderr, "send", "POST %s: no answer within %v", *target, *timeout)
		}
		return fail(stderr, "send", "POST %s: %v", *target, netError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(stdout, "POST %s (%s, %d bytes): %s\n", *target, event, len(body), resp.Status)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(stdout, "the receiver answered: %s\n", truncate(oneLine(string(answer)), maxShownAnswer))
		return exitFailure
	}
	return exitOK
}

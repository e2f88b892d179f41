package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// triggerRequest returns the POST to the sandbox's control endpoint (sandbox.TriggerPath under
// its root) that asks, as the account of apiKey, for the delivery tr describes. Its error names
// the flag at fault.
func triggerRequest(ctx context.Context, endpoint, apiKey string, tr sandbox.TriggerRequest) (*http.Request, error) {
	body, err := json.Marshal(tr)
	if err != nil {
		return nil, fmt.Errorf("--data: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("--url: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sandbox.APIKeyHeader, apiKey)
	return req, nil
}

// triggerSandbox sends req directly (never through a proxy) and returns the sandbox's account
// of the delivery, or an error to show as it is, unless req's context has ended: then the
// request was given up.
func triggerSandbox(req *http.Request) (sandbox.TriggerResponse, error) {
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("cannot reach the sandbox at %s: %v", req.URL, netError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("reading the answer of the sandbox: %v", err)
	}
	return triggerAnswer(resp, body)
}

// triggerAnswer reads the sandbox's answer to a trigger: its account of the delivery, or why it
// refused.
func triggerAnswer(resp *http.Response, body []byte) (sandbox.TriggerResponse, error) {
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		var er sandbox.TriggerErrorResponse
		if json.Unmarshal(body, &er) == nil && er.Error != "" {
			return sandbox.TriggerResponse{}, fmt.Errorf("refused (%d %s): %s", resp.StatusCode, er.Reason, er.Error)
		}
		return sandbox.TriggerResponse{}, fmt.Errorf("the sandbox answered %s: %s", resp.Status, truncate(string(body), 200))
	}
	var tr sandbox.TriggerResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("unexpected answer from %s (is it a glossi-sandbox?): %v", resp.Request.URL, err)
	}
	return tr, nil
}

// sandboxRoot turns a base URL (with or without /api/v1) into the sandbox's
// root URL.
func sandboxRoot(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	u = strings.TrimSuffix(u, sandbox.BasePath)
	return strings.TrimRight(u, "/")
}

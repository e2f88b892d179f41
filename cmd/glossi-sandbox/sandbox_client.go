package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// sandboxClient is trigger's client of a running glossi-sandbox serve: it posts to the control
// endpoint, directly (never through a proxy), as one account.
type sandboxClient struct {
	endpoint string // the control endpoint, sandbox.TriggerPath under the sandbox's root
	apiKey   string
	http     *http.Client
}

// newSandboxClient returns a client of the sandbox at baseURL (its root, or its base URL with
// /api/v1) for the account of apiKey. Its error says what is wrong with baseURL.
func newSandboxClient(baseURL, apiKey string) (*sandboxClient, error) {
	endpoint := sandboxRoot(baseURL) + sandbox.TriggerPath
	if _, err := url.Parse(endpoint); err != nil {
		return nil, err
	}
	return &sandboxClient{
		endpoint: endpoint,
		apiKey:   apiKey,
		http:     &http.Client{Transport: &http.Transport{Proxy: nil}},
	}, nil
}

// trigger asks the sandbox to make the delivery tr describes and returns the sandbox's account
// of it, or an error to show as it is (unless ctx has ended: then the request was given up).
func (c *sandboxClient) trigger(ctx context.Context, tr sandbox.TriggerRequest) (sandbox.TriggerResponse, error) {
	reqBody, err := json.Marshal(tr)
	if err != nil {
		return sandbox.TriggerResponse{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(reqBody))
	if err != nil {
		return sandbox.TriggerResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sandbox.APIKeyHeader, c.apiKey)
	resp, err := c.http.Do(req)
	if err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("cannot reach the sandbox at %s: %v", c.endpoint, netError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("reading the answer of the sandbox: %v", err)
	}
	return c.answer(resp, body)
}

// answer reads the sandbox's answer to a trigger: its account of the delivery, or why it
// refused.
func (c *sandboxClient) answer(resp *http.Response, body []byte) (sandbox.TriggerResponse, error) {
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		var er sandbox.TriggerErrorResponse
		if json.Unmarshal(body, &er) == nil && er.Error != "" {
			return sandbox.TriggerResponse{}, fmt.Errorf("refused (%d %s): %s", resp.StatusCode, er.Reason, er.Error)
		}
		return sandbox.TriggerResponse{}, fmt.Errorf("the sandbox answered %s: %s", resp.Status, truncate(string(body), 200))
	}
	var tr sandbox.TriggerResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return sandbox.TriggerResponse{}, fmt.Errorf("unexpected answer from %s (is it a glossi-sandbox?): %v", c.endpoint, err)
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

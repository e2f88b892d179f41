package glossi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// WebhookInput is the body of Put. Description is always sent; "" clears it.
type WebhookInput struct {
	// URL receives the deliveries.
	URL string `json:"url"`
	// Events lists the subscribed event names, e.g. "model.processed".
	Events []string `json:"events"`
	// Enabled turns deliveries on or off.
	Enabled bool `json:"enabled"`
	// Description is free text; "" clears it.
	Description string `json:"description"`
}

// Webhook is the webhook of an API key as the API reports it.
type Webhook struct {
	// ID identifies the webhook.
	ID string `json:"id"`
	// URL receives the deliveries.
	URL string `json:"url"`
	// Secret signs the deliveries. Only Put is documented to return it, so
	// it is normally "" after Get.
	Secret string `json:"secret,omitempty"`
	// Events lists the subscribed events, in the order the API returned them.
	Events []string `json:"events"`
	// Enabled reports whether deliveries are on.
	Enabled bool `json:"enabled"`
	// Description is nil when the API reports none.
	Description *string `json:"description"`
	// LastTriggeredAt is the RFC 3339 time of the last delivery, if any.
	LastTriggeredAt *string `json:"lastTriggeredAt"`
	// LastResponseStatus is the HTTP status of the last delivery, if any.
	LastResponseStatus *int64 `json:"lastResponseStatus"`
	// FailureCount counts deliveries that failed after all their retries.
	FailureCount int64 `json:"failureCount"`
}

// Get returns the webhook of the API key. Only a definite "no webhook" (a 404
// with the API's JSON error body, or 200 with JSON null) gives an *APIError
// with StatusCode 404 (IsNotFound); any other answer without a webhook is an
// *UnexpectedAnswerError.
func (c *Client) Get(ctx context.Context) (*Webhook, error) {
	resp, err := c.do(ctx, http.MethodGet, nil)
	if err != nil {
		return nil, err
	}
	if err = c.statusError(http.MethodGet, resp); err != nil {
		return nil, err
	}
	w, err := decodeWebhook(http.MethodGet, resp)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, &APIError{Method: http.MethodGet, Path: webhooksPath, StatusCode: http.StatusNotFound,
			Message: fmt.Sprintf("no webhook configured (API answered %s null)", statusLine(resp.status)), Attempts: resp.attempts}
	}
	return w, nil
}

// Put creates or replaces the webhook of the API key and returns it, with its
// signing secret when the API sends one.
func (c *Client) Put(ctx context.Context, in WebhookInput) (*Webhook, error) {
	if in.Events == nil {
		in.Events = []string{} // send [] rather than null
	}
	body, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("PUT %s: encoding request: %w", webhooksPath, err)
	}
	resp, err := c.do(ctx, http.MethodPut, body)
	if err != nil {
		return nil, err
	}
	if err = c.statusError(http.MethodPut, resp); err != nil {
		return nil, err
	}
	w, err := decodeWebhook(http.MethodPut, resp)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, &UnexpectedAnswerError{Method: http.MethodPut, StatusCode: resp.status, Reason: "JSON null instead of the webhook"}
	}
	c.MaskSecret(w.Secret)
	return w, nil
}

// Delete removes the webhook of the API key. Any 2xx answer is success; when
// there is no webhook it returns an *APIError with StatusCode 404.
func (c *Client) Delete(ctx context.Context) error {
	resp, err := c.do(ctx, http.MethodDelete, nil)
	if err != nil {
		return err
	}
	return c.statusError(http.MethodDelete, resp)
}

// statusError returns an *APIError for any non-2xx response, except a 404
// that is not positive evidence of "no webhook" (isNoWebhookAnswer): that is an
// *UnexpectedAnswerError, so that a wrong base URL, a gateway or a router
// never reads as "no webhook".
func (c *Client) statusError(method string, resp *response) error {
	if resp.status >= 200 && resp.status < 300 {
		return nil
	}
	earlier := resp.uncertainAttempt
	if attemptStatusMayHaveApplied(resp.status) {
		earlier = "" // the final status already says the outcome is uncertain
	}
	if resp.status == http.StatusNotFound && !isNoWebhookAnswer(resp.contentType, resp.body) {
		return &UnexpectedAnswerError{Method: method, StatusCode: resp.status, Reason: describe404(resp.body), earlier: earlier}
	}
	return &APIError{Method: method, Path: webhooksPath, StatusCode: resp.status,
		Message: c.errorMessage(resp.status, resp.body), Attempts: resp.attempts, earlier: earlier}
}

// decodeWebhook decodes the webhook object of a 2xx answer. It returns nil,
// nil for JSON null, the API's way of saying "no webhook", and an
// *UnexpectedAnswerError for an empty body or an object without an id.
func decodeWebhook(method string, resp *response) (*Webhook, error) {
	body := bytes.TrimSpace(resp.body)
	if string(body) == "null" {
		return nil, nil
	}
	unexpected := &UnexpectedAnswerError{Method: method, StatusCode: resp.status, Reason: describeBody(body)}
	if len(body) == 0 || body[0] != '{' {
		return nil, unexpected
	}
	var w Webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%s %s: decoding response: %w", method, webhooksPath, err)
	}
	if strings.TrimSpace(w.ID) == "" {
		return nil, unexpected
	}
	w.Events = uniqueEvents(w.Events)
	return &w, nil
}

// uniqueEvents drops repeated events, keeping the first of each: the events
// are a set, and an answer listing one twice must not break it.
func uniqueEvents(events []string) []string {
	if events == nil {
		return nil
	}
	seen := make(map[string]bool, len(events))
	out := make([]string, 0, len(events))
	for _, e := range events {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

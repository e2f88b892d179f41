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

// wireWebhook decodes a webhook and remembers which fields were absent.
type wireWebhook struct {
	ID                 flexString      `json:"id"`
	URL                *string         `json:"url"`
	Secret             string          `json:"secret"`
	Events             []string        `json:"events"`
	Enabled            *bool           `json:"enabled"`
	Description        json.RawMessage `json:"description"`
	LastTriggeredAt    *string         `json:"lastTriggeredAt"`
	LastResponseStatus *int64          `json:"lastResponseStatus"`
	FailureCount       *int64          `json:"failureCount"`
}

// flexString accepts a JSON string or number.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id is neither a string nor a number: %w", err)
	}
	*f = flexString(n.String())
	return nil
}

// Get returns the webhook of the API key. When there is none it returns an
// *APIError with StatusCode 404 (IsNotFound), whether the API answered 404 or
// 200 with an empty body, null, or an object without an id.
func (c *Client) Get(ctx context.Context) (*Webhook, error) {
	resp, err := c.do(ctx, http.MethodGet, nil)
	if err != nil {
		return nil, err
	}
	if err := c.statusError(http.MethodGet, resp); err != nil {
		return nil, err
	}
	w, err := decodeWebhook(resp.body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: decoding response: %w", webhooksPath, err)
	}
	if w == nil {
		return nil, &APIError{Method: http.MethodGet, Path: webhooksPath, StatusCode: http.StatusNotFound,
			Message: fmt.Sprintf("no webhook configured (API answered %s without one)", statusLine(resp.status)), Attempts: resp.attempts}
	}
	return w.webhook(), nil
}

// Put creates or replaces the webhook of the API key and returns it with its
// signing secret. Fields the answer omits (url, events, enabled, description)
// are taken from in.
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
	if err := c.statusError(http.MethodPut, resp); err != nil {
		return nil, err
	}
	w, err := decodeWebhook(resp.body)
	if err != nil {
		return nil, fmt.Errorf("PUT %s: decoding response: %w", webhooksPath, err)
	}
	if w == nil {
		return nil, fmt.Errorf("PUT %s: the API answered %s without a webhook id", webhooksPath, statusLine(resp.status))
	}
	out := w.webhook()
	if w.URL == nil {
		out.URL = in.URL
	}
	if w.Events == nil {
		out.Events = append([]string{}, in.Events...)
	}
	if w.Enabled == nil {
		out.Enabled = in.Enabled
	}
	if len(w.Description) == 0 && in.Description != "" {
		d := in.Description
		out.Description = &d
	}
	return out, nil
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

// statusError returns an *APIError for any non-2xx response.
func (c *Client) statusError(method string, resp *response) error {
	if resp.status >= 200 && resp.status < 300 {
		return nil
	}
	return &APIError{Method: method, Path: webhooksPath, StatusCode: resp.status,
		Message: c.errorMessage(resp.status, resp.body), Attempts: resp.attempts}
}

// decodeWebhook decodes a webhook, unwrapping {"webhook": {...}},
// {"data": {...}} and one-element arrays. It returns nil, nil when the body
// holds no webhook: empty, null, [], or an object without an id.
func decodeWebhook(body []byte) (*wireWebhook, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || string(body) == "null" {
		return nil, nil
	}
	switch body[0] {
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, err
		}
		switch len(list) {
		case 0:
			return nil, nil
		case 1:
			return decodeWebhook(list[0])
		}
		return nil, fmt.Errorf("expected one webhook, got a list of %d", len(list))
	case '{':
	default:
		return nil, fmt.Errorf("expected a JSON object, got %q", snippet(string(maskBody(body))))
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	if _, ok := top["id"]; !ok {
		for _, k := range []string{"webhook", "data"} {
			if inner, ok := top[k]; ok {
				return decodeWebhook(inner)
			}
		}
		return nil, nil
	}
	var w wireWebhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(w.ID)) == "" {
		return nil, nil
	}
	return &w, nil
}

// webhook converts the wire form, leaving absent fields at their zero value.
func (w *wireWebhook) webhook() *Webhook {
	out := &Webhook{
		ID:                 string(w.ID),
		Secret:             w.Secret,
		Events:             w.Events,
		LastTriggeredAt:    w.LastTriggeredAt,
		LastResponseStatus: w.LastResponseStatus,
	}
	if w.URL != nil {
		out.URL = *w.URL
	}
	if w.Enabled != nil {
		out.Enabled = *w.Enabled
	}
	if w.FailureCount != nil {
		out.FailureCount = *w.FailureCount
	}
	var d *string
	if len(w.Description) > 0 && json.Unmarshal(w.Description, &d) == nil {
		out.Description = d
	}
	return out
}

package glossi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// errBodyTooLarge fails an attempt whose response exceeds MaxResponseBytes.
var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", MaxResponseBytes)

// response is the final answer of one call, body already read.
type response struct {
	status      int
	contentType string // the Content-Type header
	body        []byte
	attempts    int
	// uncertainAttempt names the first attempt that may have been applied
	// without a success answer, "" when none (see IsUncertain).
	uncertainAttempt string
}

// call is one logical call across its attempts.
type call struct {
	c          *Client
	method     string
	body       []byte // nil for GET and DELETE
	req        *http.Request
	attempts   int    // attempts made so far
	lastStatus string // the status line of the last answer, for context errors
	// uncertainAttempt names the first attempt that may have been applied
	// without a success answer, e.g. "attempt 1 (502 Bad Gateway)".
	uncertainAttempt string
}

// do performs one call: an attempt, then while the answer is worth retrying
// and retries are left, a wait and another attempt. It returns the final
// response whatever its status, or an error when no usable response arrived.
func (c *Client) do(ctx context.Context, method string, body []byte) (*response, error) {
	if c.apiKey == "" {
		return nil, ErrMissingAPIKey
	}
	req, err := c.newRequest(ctx, method, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", method, webhooksPath, err)
	}
	cl := &call{c: c, method: method, body: body, req: req}
	for {
		if err := ctx.Err(); err != nil {
			return nil, cl.failure(ctx, err)
		}
		resp, data, err := cl.attempt(ctx)
		cl.noteUncertainty(resp, err)
		if !shouldRetry(ctx, resp, err) || cl.attempts > c.maxRetries {
			if err != nil {
				return nil, cl.failure(ctx, err)
			}
			return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: data,
				attempts: cl.attempts, uncertainAttempt: cl.uncertainAttempt}, nil
		}
		if waitErr := cl.wait(ctx, resp, err); waitErr != nil {
			return nil, cl.failure(ctx, waitErr)
		}
	}
}

// attempt sends the request once and reads the whole (capped) answer, both
// within Config.RequestTimeout, and logs the outcome. On success the
// response's body is already read and closed; data holds it.
func (cl *call) attempt(ctx context.Context) (resp *http.Response, data []byte, err error) {
	cl.attempts++
	start := time.Now()
	attemptCtx, cancel := context.WithTimeout(ctx, cl.c.timeout)
	defer cancel()
	req := cl.req.Clone(attemptCtx)
	if cl.req.GetBody != nil {
		req.Body, _ = cl.req.GetBody() // a bytes.Reader: never fails
	}
	resp, data, err = cl.c.send(req)
	if err != nil && errors.Is(attemptCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		err = cl.attemptTimedOut(err)
	}
	if resp != nil {
		cl.lastStatus = statusLine(resp.StatusCode)
	}
	cl.logAttempt(ctx, req, resp, data, err, time.Since(start))
	return resp, data, err
}

// noteUncertainty remembers the first attempt that may have been applied
// without a success answer: whatever later attempts answer, the call's
// outcome is then uncertain.
func (cl *call) noteUncertainty(resp *http.Response, err error) {
	if cl.uncertainAttempt != "" || !attemptMayHaveApplied(resp, err) {
		return
	}
	cl.uncertainAttempt = fmt.Sprintf("attempt %d (%s)", cl.attempts, cl.c.scrub(failureReason(resp, err)))
}

// send makes one request with the client's http.Client and reads its body.
func (c *Client) send(req *http.Request) (*http.Response, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err == nil && len(data) > MaxResponseBytes {
		err = errBodyTooLarge
	}
	if err != nil {
		return nil, nil, err
	}
	return resp, data, nil
}

// newRequest builds the request that each attempt clones. Its GetBody
// gives every attempt (and a 307 redirect) the same bytes again.
func (c *Client) newRequest(ctx context.Context, method string, body []byte) (*http.Request, error) {
	var r io.Reader // a nil interface: no body at all for GET and DELETE
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// attemptTimedOut names the per-attempt timeout in err, keeping a *url.Error
// outermost so that the retry policy still sees it.
func (cl *call) attemptTimedOut(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: ue.URL, Err: &attemptTimeoutError{timeout: cl.c.timeout, err: ue.Err}}
	}
	return &attemptTimeoutError{timeout: cl.c.timeout, err: err}
}

// wait sleeps before the next attempt, or returns the context's error.
func (cl *call) wait(ctx context.Context, resp *http.Response, err error) error {
	wait, retryAfter := cl.c.retryWait(cl.attempts, resp)
	fields := map[string]any{
		"method":       cl.method,
		"url":          cl.c.endpoint,
		"attempt":      cl.attempts,
		"next_attempt": cl.attempts + 1,
		"max_attempts": cl.c.maxRetries + 1,
		"reason":       failureReason(resp, err),
		"wait_ms":      wait.Milliseconds(),
	}
	if retryAfter != "" {
		fields["retry_after"] = retryAfter
	}
	cl.c.log(ctx, "Waiting before retrying Glossi API request", fields)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// failureReason is the status line of resp, or the error without the
// method and URL that a *url.Error repeats.
func failureReason(resp *http.Response, err error) string {
	if err == nil {
		return statusLine(resp.StatusCode)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// failure turns a transport or context error into the error of the call.
// It names the host and the attempts, never the key.
func (cl *call) failure(ctx context.Context, err error) error {
	prefix := cl.method + " " + webhooksPath
	if ctxErr := ctx.Err(); ctxErr != nil {
		if cl.lastStatus != "" {
			return fmt.Errorf("%s: %w (after %s, last response: %s)", prefix, ctxErr, plural(cl.attempts, "attempt"), cl.lastStatus)
		}
		return fmt.Errorf("%s: %w", prefix, ctxErr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error repeats the method and the full URL
	}
	after := ""
	if cl.attempts > 1 {
		after = " after " + plural(cl.attempts, "attempt")
	}
	return &requestError{msg: cl.c.scrub(fmt.Sprintf("%s: request to %s failed%s: %v", prefix, cl.c.host, after, err)), err: err,
		mayHaveApplied: cl.uncertainAttempt != ""}
}

// logAttempt logs one attempt: its request, then its answer or its error.
func (cl *call) logAttempt(ctx context.Context, req *http.Request, resp *http.Response, data []byte, err error, took time.Duration) {
	fields := map[string]any{
		"method":          cl.method,
		"url":             cl.c.endpoint,
		"attempt":         cl.attempts,
		"max_attempts":    cl.c.maxRetries + 1,
		"duration_ms":     took.Milliseconds(),
		"request_headers": maskHeaders(req.Header),
	}
	if cl.body != nil {
		fields["request_body"] = logBody(cl.body)
	}
	if err != nil {
		fields["error"] = failureReason(nil, err)
		cl.c.log(ctx, "Glossi API request failed", fields)
		return
	}
	if resp.Request != nil && resp.Request.URL.String() != cl.c.endpoint {
		fields["redirected_to"] = RedactURL(resp.Request.URL.String())
	}
	fields["status_code"] = resp.StatusCode
	fields["response_body"] = logBody(data)
	cl.c.log(ctx, "Received Glossi API response", fields)
}

// log sends one entry to Config.Log after scrubbing.
func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.logf == nil {
		return
	}
	c.scrubFields(fields)
	c.logf(ctx, msg, fields)
}

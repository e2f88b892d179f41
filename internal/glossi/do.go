package glossi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxRedirects bounds the redirects followed on the configured host.
const maxRedirects = 5

// errBodyTooLarge fails an attempt whose response exceeds MaxResponseBytes.
var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", MaxResponseBytes)

// response is the final answer of one call, body already read.
type response struct {
	status   int
	body     []byte
	attempts int
}

// call holds the state of one logical call across its attempts. Its fields
// are only touched from the caller's goroutine: retryablehttp runs CheckRetry,
// Backoff and (through http.Client) RoundTrip sequentially.
type call struct {
	c          *Client
	ctx        context.Context
	method     string
	reqBody    []byte
	attempts   int    // attempts finished so far
	last       string // the last status line or error, for retry logs
	lastStatus string // the last status line, for context errors
}

// do performs one call with retries. It returns the final response whatever
// its status, or an error when no usable response arrived.
func (c *Client) do(ctx context.Context, method string, body []byte) (*response, error) {
	if c.apiKey == "" {
		return nil, ErrMissingAPIKey
	}
	cl := &call{c: c, ctx: ctx, method: method, reqBody: body}
	var raw any // a nil interface: no body at all for GET and DELETE
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.endpoint, raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", method, webhooksPath, err)
	}
	req.Header.Set("X-API-Key", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport:     &attemptTransport{call: cl, base: c.transport},
			CheckRedirect: c.checkRedirect,
			Jar:           c.jar,
			Timeout:       c.clientLimit,
		},
		Logger:       nil, // logging goes through Config.Log only
		RetryWaitMin: c.retryWaitMin,
		RetryWaitMax: c.retryWaitMax,
		RetryMax:     c.maxRetries,
		CheckRetry:   cl.checkRetry,
		Backoff:      cl.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, cl.failure(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body) // in memory already, see attemptTransport
	if err != nil {
		return nil, cl.failure(err)
	}
	return &response{status: resp.StatusCode, body: data, attempts: cl.attempts}, nil
}

// failure turns a transport or context error into the error of the call.
// It names the host and the attempts, never the key.
func (cl *call) failure(err error) error {
	prefix := cl.method + " " + webhooksPath
	if ctxErr := cl.ctx.Err(); ctxErr != nil {
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
	return &requestError{msg: cl.c.scrub(fmt.Sprintf("%s: request to %s failed%s: %v", prefix, cl.c.host, after, err)), err: err}
}

// plural returns e.g. "1 attempt" or "3 attempts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// requestError keeps the scrubbed text of a transport failure and its cause.
type requestError struct {
	msg string
	err error
}

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return e.err }

// checkRetry counts attempts and decides on retries: never once the caller's
// context is done or the body was too large, otherwise as
// retryablehttp.DefaultRetryPolicy (connection errors, timeouts, 429, 5xx
// except 501; not TLS, scheme, header or redirect errors).
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl.attempts++
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			cl.last = cl.c.scrub(ue.Err.Error())
		} else {
			cl.last = cl.c.scrub(err.Error())
		}
	case resp != nil:
		cl.last = statusLine(resp.StatusCode)
		cl.lastStatus = cl.last
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if errors.Is(err, errBodyTooLarge) {
		return false, nil
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	return retry, nil
}

// backoff returns the wait before the next attempt and logs it. attemptNum is
// the 0-based index of the attempt that just failed. Computed waits use
// capped exponential growth with equal jitter, floored at min; a Retry-After
// on 429 or 503 wins, floored at min and capped at MaxRetryAfter.
func (cl *call) backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	wait := jitteredBackoff(minWait, maxWait, attemptNum)
	fields := map[string]any{
		"method":       cl.method,
		"url":          cl.c.endpoint,
		"attempt":      attemptNum + 1,
		"next_attempt": attemptNum + 2,
		"max_attempts": cl.c.maxRetries + 1,
		"reason":       cl.last,
	}
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			wait = min(max(ra, minWait), MaxRetryAfter)
			fields["retry_after"] = resp.Header.Get("Retry-After")
		}
	}
	fields["wait_ms"] = wait.Milliseconds()
	cl.c.log(cl.ctx, "Waiting before retrying Glossi API request", fields)
	return wait
}

// jitteredBackoff is min*2^n capped at max, then uniformly drawn from its
// upper half ("equal jitter"), and never below min.
func jitteredBackoff(minWait, maxWait time.Duration, n int) time.Duration {
	exp := maxWait
	if n < 62 && minWait<<n > 0 && minWait<<n < maxWait {
		exp = minWait << n
	}
	half := exp / 2
	wait := half + time.Duration(rand.Int64N(int64(half)+1))
	return max(wait, minWait)
}

// parseRetryAfter reads delta-seconds or an HTTP-date. A date in the past
// means 0.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(s) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// checkRedirect follows redirects only on the configured host and never from
// https to http, so the X-API-Key header cannot leak elsewhere. Other
// redirects are returned as responses and become an *APIError.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects || req.URL.Host != c.host ||
		(via[0].URL.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}

// log sends one entry to Config.Log after scrubbing.
func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.logf == nil {
		return
	}
	c.scrubFields(fields)
	c.logf(ctx, msg, fields)
}

// attemptTransport bounds each attempt by the request timeout, reads the
// whole (capped) body inside that bound, and logs the attempt.
type attemptTransport struct {
	call *call
	base http.RoundTripper
}

// RoundTrip performs one attempt.
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	cl := t.call
	timeout := cl.c.timeout
	start := time.Now()
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	defer cancel()
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
		_ = resp.Body.Close()
		if err == nil && len(body) > MaxResponseBytes {
			err = errBodyTooLarge
		}
		if err != nil {
			resp = nil
		} else {
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
		}
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
		err = &attemptTimeoutError{timeout: timeout, err: err}
	}
	fields := map[string]any{
		"method":          req.Method,
		"url":             req.URL.Redacted(),
		"attempt":         cl.attempts + 1,
		"max_attempts":    cl.c.maxRetries + 1,
		"duration_ms":     time.Since(start).Milliseconds(),
		"request_headers": maskHeaders(req.Header),
	}
	if cl.reqBody != nil {
		fields["request_body"] = logBody(cl.reqBody)
	}
	if err != nil {
		fields["error"] = err.Error()
		cl.c.log(cl.ctx, "Glossi API request failed", fields)
		return nil, err
	}
	fields["status_code"] = resp.StatusCode
	fields["response_body"] = logBody(body)
	cl.c.log(cl.ctx, "Received Glossi API response", fields)
	return resp, nil
}

// attemptTimeoutError reports an attempt cut by Config.RequestTimeout.
type attemptTimeoutError struct {
	timeout time.Duration
	err     error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %s", e.timeout)
}
func (e *attemptTimeoutError) Unwrap() error { return e.err }
func (e *attemptTimeoutError) Timeout() bool { return true }

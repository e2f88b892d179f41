package glossi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// shouldRetry decides whether an attempt is worth another: never once the
// caller's context is done, the body was too large or the error is one a
// retry cannot change (isDeterministic), otherwise as
// retryablehttp.DefaultRetryPolicy (connection errors, timeouts, 429, 5xx
// except 501; not TLS, scheme, header or redirect errors).
func shouldRetry(ctx context.Context, resp *http.Response, err error) bool {
	if errors.Is(err, errBodyTooLarge) || isDeterministic(err) {
		return false
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	return retry
}

// retryWait is the wait after the attempts-th attempt. A Retry-After on 429
// or 503 wins, floored at RetryWaitMin and capped at MaxRetryAfter; it is
// returned too, for the log. Otherwise the wait is jitteredBackoff.
func (c *Client) retryWait(attempts int, resp *http.Response) (wait time.Duration, retryAfter string) {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		retryAfter = resp.Header.Get("Retry-After")
		if ra, ok := parseRetryAfter(retryAfter, time.Now()); ok {
			return min(max(ra, c.retryWaitMin), MaxRetryAfter), retryAfter
		}
	}
	return jitteredBackoff(c.retryWaitMin, c.retryWaitMax, attempts-1), ""
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
	// mayHaveApplied reports that some attempt may have reached the API.
	mayHaveApplied bool
}

func (e *requestError) Error() string   { return e.msg }
func (e *requestError) Unwrap() error   { return e.err }
func (e *requestError) uncertain() bool { return e.mayHaveApplied }

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

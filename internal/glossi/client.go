package glossi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// DefaultBaseURL is the base URL of the production Glossi API.
const DefaultBaseURL = "https://api.glossi.app/api/v1"

// DefaultMaxRetries is the number of retries callers should configure when
// they have no better value. Config.MaxRetries has no implicit default: 0
// means a single attempt.
const DefaultMaxRetries = 4

// DefaultRequestTimeout is the timeout of one attempt when
// Config.RequestTimeout is zero.
const DefaultRequestTimeout = 30 * time.Second

// DefaultRetryWaitMin is the shortest wait between attempts when
// Config.RetryWaitMin is zero.
const DefaultRetryWaitMin = 500 * time.Millisecond

// DefaultRetryWaitMax is the longest computed backoff between attempts when
// Config.RetryWaitMax is zero.
const DefaultRetryWaitMax = 15 * time.Second

// MaxRetryAfter caps the wait requested by a Retry-After header. It is
// separate from RetryWaitMax so that a server asking for 20s is obeyed even
// though computed backoffs stop at 15s, while a server asking for an hour
// does not hang the caller.
const MaxRetryAfter = 60 * time.Second

// MaxResponseBytes is the largest response body the client reads. A larger
// body fails the attempt without a retry.
const MaxResponseBytes = 1 << 20

// defaultUserAgent is sent when Config.UserAgent is empty.
const defaultUserAgent = "glossi-go-client"

// webhooksPath is the path of the webhooks resource below the base URL.
const webhooksPath = "/webhooks"

// LogFunc receives one structured log entry; the provider plugs tflog in
// here. Fields never contain the API key or a webhook secret.
type LogFunc func(ctx context.Context, msg string, fields map[string]any)

// Config configures a Client. The zero value is usable except that it has no
// API key and makes a single attempt per call.
type Config struct {
	// BaseURL is the API root, e.g. "https://api.glossi.app/api/v1". Empty
	// means DefaultBaseURL. It must be an absolute http or https URL without
	// query, fragment or user info; a trailing slash is tolerated.
	BaseURL string
	// APIKey is sent as X-API-Key. Surrounding white space is trimmed. When
	// empty, every call returns ErrMissingAPIKey before any request.
	APIKey string
	// UserAgent is sent as User-Agent; empty means "glossi-go-client".
	UserAgent string
	// MaxRetries is the number of retries after the first attempt. Negative
	// means 0.
	MaxRetries int
	// RequestTimeout bounds each attempt, body included. Zero (or negative)
	// means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RetryWaitMin is the shortest wait between attempts. Zero (or negative)
	// means DefaultRetryWaitMin.
	RetryWaitMin time.Duration
	// RetryWaitMax caps computed backoffs. Zero (or negative) means
	// DefaultRetryWaitMax; a value below RetryWaitMin is raised to it.
	// Retry-After is capped by MaxRetryAfter instead.
	RetryWaitMax time.Duration
	// Log receives one entry per attempt and per retry wait. Optional.
	Log LogFunc
	// HTTPClient is an optional base client whose Transport, Jar and Timeout
	// are reused. Its CheckRedirect is replaced by a policy that keeps the API
	// key on the configured host.
	HTTPClient *http.Client
}

// Client calls the Glossi webhooks API. It is safe for concurrent use.
type Client struct {
	baseURL      string
	endpoint     string
	host         string
	apiKey       string
	secrets      *secretSet
	userAgent    string
	maxRetries   int
	timeout      time.Duration
	retryWaitMin time.Duration
	retryWaitMax time.Duration
	logf         LogFunc
	http         *http.Client
}

// NewClient validates cfg and returns a Client. It fails only for an invalid
// BaseURL; an empty APIKey is reported by each call instead.
func NewClient(cfg Config) (*Client, error) {
	base, u, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		baseURL:      base,
		endpoint:     base + webhooksPath,
		host:         u.Host,
		apiKey:       strings.TrimSpace(cfg.APIKey),
		secrets:      &secretSet{},
		userAgent:    cfg.UserAgent,
		maxRetries:   max(cfg.MaxRetries, 0),
		timeout:      cfg.RequestTimeout,
		retryWaitMin: cfg.RetryWaitMin,
		retryWaitMax: cfg.RetryWaitMax,
		logf:         cfg.Log,
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.retryWaitMin <= 0 {
		c.retryWaitMin = DefaultRetryWaitMin
	}
	if c.retryWaitMax <= 0 {
		c.retryWaitMax = DefaultRetryWaitMax
	}
	c.retryWaitMax = max(c.retryWaitMax, c.retryWaitMin)
	c.http = c.newHTTPClient(cfg.HTTPClient)
	return c, nil
}

// newHTTPClient returns the one http.Client of c: base's Transport, Jar and
// Timeout (a pooled transport of its own without base), and a redirect
// policy that keeps the API key on the configured host.
func (c *Client) newHTTPClient(base *http.Client) *http.Client {
	hc := &http.Client{CheckRedirect: c.checkRedirect}
	if base == nil {
		hc.Transport = cleanhttp.DefaultPooledTransport()
		return hc
	}
	hc.Transport, hc.Jar, hc.Timeout = base.Transport, base.Jar, base.Timeout
	return hc
}

// maxRedirects bounds the redirects followed on the configured host.
const maxRedirects = 5

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

// BaseURL returns the normalised base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

// parseBaseURL checks raw and returns it without trailing slashes.
func parseBaseURL(raw string) (string, *url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, fmt.Errorf("invalid Glossi base URL: %w", err)
	}
	shown := u.Redacted()
	switch {
	case !u.IsAbs():
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: not absolute (want e.g. %q)", shown, DefaultBaseURL)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: scheme %q is not http or https", shown, u.Scheme)
	case u.Opaque != "" || u.Host == "":
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: no host", shown)
	case u.User != nil:
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: must not contain user info", shown)
	case u.RawQuery != "" || u.ForceQuery:
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: must not contain a query", shown)
	case u.Fragment != "":
		return "", nil, fmt.Errorf("invalid Glossi base URL %q: must not contain a fragment", shown)
	}
	return strings.TrimRight(u.String(), "/"), u, nil
}

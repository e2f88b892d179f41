// Package probe sends a receiver of Glossi webhooks two test deliveries, one signed with the
// webhook secret and one with a forged signature, and reports how it answered each. It backs
// the glossi_webhook_probe data source and knows nothing of Terraform.
package probe

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// Message is the data of a probe delivery: it tells whoever reads a receiver's log what the
// delivery is.
const Message = "This is a probe from terraform-provider-glossi (the glossi_webhook_probe data source), " +
	"not a Glossi event: it checks that this receiver accepts deliveries signed with the webhook secret " +
	"and refuses forged ones. Ignore it."

// bodyFormat gives the exact bytes of a probe: a well-formed Glossi envelope whose event type
// says it is not a Glossi event.
const bodyFormat = `{"event":%q,"timestamp":%q,"data":{"message":%q}}`

// timestampLayout is RFC 3339 in UTC with milliseconds, as Glossi writes timestamps.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// maxResponseBytes is how much of an answer is read before the connection is closed.
const maxResponseBytes = 64 << 10

// Body is the probe delivery sent at now.
func Body(now time.Time) []byte {
	return fmt.Appendf(nil, bodyFormat, glossiwebhook.EventProbe, now.UTC().Format(timestampLayout), Message)
}

// Result is how a receiver answered a probe. A status is 0 when that delivery got no answer;
// Err then says why. Err also says so when the signed delivery's answer shows that no receiver
// is at the URL: a redirect or a 404.
type Result struct {
	SignedStatus int
	ForgedStatus int
	// Latency is the time the signed delivery took to be answered.
	Latency time.Duration
	Err     error
}

// SignatureAccepted reports whether the signed delivery was answered with a 2xx, as Glossi
// counts a delivery delivered.
func (r Result) SignatureAccepted() bool {
	return r.SignedStatus >= 200 && r.SignedStatus <= 299
}

// ForgeryRejected reports whether the forged delivery was refused with 401 or 403.
func (r Result) ForgeryRejected() bool {
	return refused(r.ForgedStatus)
}

func refused(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// Prober sends probes with one HTTP client.
type Prober struct {
	client    *http.Client
	userAgent string
}

// New returns a Prober whose requests carry userAgent. It does not follow redirects: a
// redirect's status is the answer.
func New(transport http.RoundTripper, userAgent string) *Prober {
	return &Prober{
		client: &http.Client{
			Transport:     transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent: userAgent,
	}
}

// Send POSTs the probe to url signed with secret, then the same body with a forged signature.
// Each request must be answered within timeout. A receiver that cannot be reached is a Result
// with Err set, not an error of Send's caller.
//
// Error texts never hold the URL's credentials or query values (a token in the URL is a secret
// too): they are redacted.
func (p *Prober) Send(ctx context.Context, url, secret string, timeout time.Duration) Result {
	body := Body(time.Now())
	var res Result
	start := time.Now()
	signed, err := p.post(ctx, url, body, glossiwebhook.Sign(body, secret), timeout)
	if err != nil {
		res.Err = fmt.Errorf("the signed delivery got no answer: %w", redactError(err))
		return res
	}
	res.SignedStatus, res.Latency = signed.status, time.Since(start)
	forged, err := p.post(ctx, url, body, forgedSignature(body), timeout)
	res.ForgedStatus = forged.status
	switch {
	case err != nil:
		res.Err = fmt.Errorf("the forged delivery got no answer: %w", redactError(err))
	case signed.status == http.StatusNotFound:
		res.Err = errors.New("the signed delivery got 404 Not Found: no receiver answered at that URL (is the path right?)")
	case signed.status >= 300 && signed.status <= 399:
		res.Err = fmt.Errorf("the signed delivery got %d, a redirect to %s: no receiver answered at that URL, and the probe does "+
			"not follow redirects (use the URL the receiver answers at)", signed.status, glossi.RedactURL(signed.location))
	}
	return res
}

// forgedSignature is a well-formed signature of body made with a random key, not the secret.
func forgedSignature(body []byte) string {
	return glossiwebhook.Sign(body, rand.Text())
}

// answer is what post keeps of an answer.
type answer struct {
	status   int
	location string // of a redirect
}

func (p *Prober) post(ctx context.Context, url string, body []byte, signature string, timeout time.Duration) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", p.userAgent)
	req.Header.Set(glossiwebhook.SignatureHeader, signature)
	resp, err := p.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
	return answer{status: resp.StatusCode, location: resp.Header.Get("Location")}, nil
}

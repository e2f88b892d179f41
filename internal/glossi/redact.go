package glossi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// masked replaces every secret value in logs and errors.
const masked = "***"

// maxLogBody caps a response body copied into a log entry (after masking).
const maxLogBody = 4096

// minScrubKeyLen is the shortest API key that is also searched for, and
// replaced, inside free text. Shorter keys would mangle unrelated text; they
// still never leave through the X-API-Key header, which is always masked.
const minScrubKeyLen = 8

// sensitiveHeaders are masked in logged header maps (canonical names).
var sensitiveHeaders = map[string]bool{
	"X-Api-Key":           true,
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
	"X-Glossi-Signature":  true,
}

// isSecretKey reports whether a JSON object key names a secret value.
func isSecretKey(k string) bool {
	switch strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(k)) {
	case "secret", "webhooksecret", "apikey", "xapikey", "token", "password", "signature":
		return true
	}
	return false
}

// secretJSONRe finds "secret": <value> pairs in text that is not valid JSON,
// e.g. a truncated body. The value is a string (closed or not) or a bare token.
var secretJSONRe = regexp.MustCompile(`(?i)("(?:secret|webhook_?secret|api_?key|x-api-key|token|password|signature)"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|\\?$)|[^,}\]\s]+)`)

// maskHeaders copies h into a flat map with sensitive values replaced.
func maskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = masked
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// maskBody returns body with the value of every secret-named JSON key
// replaced by "***". Valid JSON is re-encoded compactly; anything else is
// masked with a regular expression.
func maskBody(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return trimmed
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		if out, err := json.Marshal(maskValue(v)); err == nil {
			return out
		}
	}
	return secretJSONRe.ReplaceAll(trimmed, []byte(`${1}"`+masked+`"`))
}

// maskValue walks a decoded JSON value and masks secret-named keys.
func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if isSecretKey(k) {
				t[k] = masked
			} else if str, ok := e.(string); ok && strings.EqualFold(k, "url") {
				t[k] = RedactURL(str)
			} else {
				t[k] = maskValue(e)
			}
		}
	case []any:
		for i, e := range t {
			t[i] = maskValue(e)
		}
	}
	return v
}

// logBody masks body and caps it for a log entry.
func logBody(body []byte) string {
	b := maskBody(body)
	if len(b) > maxLogBody {
		return string(b[:maxLogBody]) + "…(truncated)"
	}
	return string(b)
}

// scrub replaces the API key and every webhook secret the client knows
// inside free text, a last line of defence for servers that echo them.
func (c *Client) scrub(s string) string {
	if len(c.apiKey) >= minScrubKeyLen {
		s = strings.ReplaceAll(s, c.apiKey, masked)
	}
	return c.secrets.scrub(s)
}

// MaskSecret makes the client mask secret wherever it could appear in an
// error or a log entry, as it masks the API key. The client already masks
// every secret a Put answer carries; callers add the ones they stored.
func (c *Client) MaskSecret(secret string) { c.secrets.add(secret) }

// secretSet is the webhook secrets a client masks.
type secretSet struct {
	mu     sync.Mutex
	values map[string]bool
}

func (m *secretSet) add(secret string) {
	if len(secret) < minScrubKeyLen {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values == nil {
		m.values = map[string]bool{}
	}
	m.values[secret] = true
}

func (m *secretSet) scrub(s string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for secret := range m.values {
		s = strings.ReplaceAll(s, secret, masked)
	}
	return s
}

// RedactURL is the one rule for showing a URL that may carry a credential, in the client's
// logs and in the probe's errors: its user information and its whole query are replaced by
// REDACTED and its fragment dropped, since a receiver's token may hide behind any parameter
// name. Text that is not a URL is replaced whole.
func RedactURL(raw string) string {
	const redacted = "REDACTED" // URL-safe, unlike masked
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery = redacted
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// IsCredentialParam reports whether a query parameter name looks like it
// carries a credential (token, key, secret, password, signature, auth).
func IsCredentialParam(name string) bool {
	n := strings.ToLower(name)
	for _, word := range []string{"token", "key", "secret", "password", "passwd", "pwd", "sig", "auth", "credential"} {
		if strings.Contains(n, word) {
			return true
		}
	}
	return false
}

// scrubFields applies scrub to every string (and string map) in fields.
func (c *Client) scrubFields(fields map[string]any) {
	for k, v := range fields {
		switch t := v.(type) {
		case string:
			fields[k] = c.scrub(t)
		case map[string]string:
			for hk, hv := range t {
				t[hk] = c.scrub(hv)
			}
		case error:
			fields[k] = c.scrub(t.Error())
		}
	}
}

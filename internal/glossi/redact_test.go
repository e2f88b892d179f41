package glossi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestLog_neverShowsKeyOrSecret(t *testing.T) {
	webhook := `{"id":"wh","url":"https://x","secret":"` + testSecret + `","events":["a"],"enabled":true,"description":null}`
	api := newFakeAPI(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case n == 1:
			w.Header().Set("Retry-After", "0")
			reply(w, 429, `{"error":"slow down `+testKey+`"}`)
		case r.Method == http.MethodPut:
			reply(w, 200, webhook)
		case r.Method == http.MethodGet:
			reply(w, 200, webhook) // a secret where Get should not have one
		default:
			// Not JSON: the regexp fallback must still mask it.
			reply(w, 500, `oops {"secret": "`+testSecret+`", "apiKey":"`+testKey+`"`)
		}
	})
	logs := &logRecorder{}
	c := newTestClient(t, api.URL, func(c *Config) { c.Log = logs.log; c.MaxRetries = 1 })
	ctx := context.Background()

	got, err := c.Put(ctx, WebhookInput{URL: "https://x", Events: []string{"a"}, Enabled: true})
	if err != nil || got.Secret != testSecret {
		t.Fatalf("Put = %+v, %v; the caller must still get the secret", got, err)
	}
	_, errGet := c.Get(ctx)
	errDel := c.Delete(ctx)
	if errGet != nil || errDel == nil {
		t.Fatalf("Get err = %v, Delete err = %v", errGet, errDel)
	}

	entries := logs.all()
	if len(entries) < 6 {
		t.Fatalf("only %d log entries", len(entries))
	}
	var sawMaskedHeader, sawMaskedBody, sawStatus bool
	for _, e := range entries {
		text := fmt.Sprint(e.msg, e.fields)
		if strings.Contains(text, testKey) || strings.Contains(text, testSecret) {
			t.Errorf("log entry leaks a secret: %s", text)
		}
		if h, ok := e.fields["request_headers"].(map[string]string); ok && h["X-Api-Key"] == masked {
			sawMaskedHeader = true
		}
		if b, ok := e.fields["response_body"].(string); ok && strings.Contains(b, `"secret":"***"`) {
			sawMaskedBody = true
		}
		if _, ok := e.fields["status_code"]; ok {
			sawStatus = true
			for _, k := range []string{"method", "url", "attempt", "max_attempts", "duration_ms"} {
				if _, ok := e.fields[k]; !ok {
					t.Errorf("entry %q lacks %q: %v", e.msg, k, e.fields)
				}
			}
		}
	}
	if !sawMaskedHeader || !sawMaskedBody || !sawStatus {
		t.Errorf("masked header %v, masked body %v, status %v", sawMaskedHeader, sawMaskedBody, sawStatus)
	}
	for _, err := range []error{errDel} {
		if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testSecret) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
}

func TestMaskBody(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"id":"a","secret":"s3cr3t"}`, `{"id":"a","secret":"***"}`},
		{`{"data":{"Secret":"s3cr3t","list":[{"apiKey":"k"}]}}`, `{"data":{"Secret":"***","list":[{"apiKey":"***"}]}}`},
		{`{"secret":null}`, `{"secret":"***"}`},
		{`{"id":"a","secret":"s3c`, `{"id":"a","secret":"***"`},
		{`x {"secret" : "s3\"cr3t", "b":1`, `x {"secret" : "***", "b":1`},
		{`{"secret": 12345, "x": 1} trailing`, `{"secret": "***", "x": 1} trailing`},
		{`plain text`, `plain text`},
		{`{"n":1.50}`, `{"n":1.50}`},
		{``, ``},
	}
	for _, tt := range tests {
		if got := string(maskBody([]byte(tt.in))); got != tt.want {
			t.Errorf("maskBody(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-API-Key", testKey)
	h.Set("Accept", "application/json")
	h["x-api-key"] = []string{testKey} // non-canonical spelling
	got := maskHeaders(h)
	if got["X-Api-Key"] != masked || got["x-api-key"] != masked || got["Accept"] != "application/json" {
		t.Errorf("maskHeaders = %v", got)
	}
}

func TestLogBody_truncates(t *testing.T) {
	body := `{"secret":"` + testSecret + `","pad":"` + strings.Repeat("p", 2*maxLogBody) + `"}`
	got := logBody([]byte(body))
	if strings.Contains(got, testSecret) || len(got) > maxLogBody+len("…(truncated)") || !strings.HasSuffix(got, "…(truncated)") {
		t.Errorf("logBody = %.80q… (len %d)", got, len(got))
	}
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://hooks.example.com/g":                      "https://hooks.example.com/g",
		"https://u:pw@hooks.example.com/g":                 "https://REDACTED@hooks.example.com/g",
		"https://hooks.example.com/g?token=t1&team=a":      "https://hooks.example.com/g?REDACTED",
		"https://hooks.example.com/g?api_key=k&sig=s":      "https://hooks.example.com/g?REDACTED",
		"https://hooks.example.com/g?session=s1#frag":      "https://hooks.example.com/g?REDACTED",
		"https://hooks.example.com/g?":                     "https://hooks.example.com/g?REDACTED",
		"https://hooks.example.com/g#access_token=t1":      "https://hooks.example.com/g",
		"https://u:pw@hooks.example.com/%zz?token=t1":      "REDACTED",
		"https://u:pw@hooks.example.com/g?token=t1#frag=2": "https://REDACTED@hooks.example.com/g?REDACTED",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestClient_masksKnownSecretsInErrors(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		reply(w, 400, `{"error":"secret `+testSecret+` cannot be reused"}`)
	})
	c := newTestClient(t, api.URL, nil)
	c.MaskSecret(testSecret)
	_, err := c.Put(context.Background(), WebhookInput{URL: "https://x", Events: []string{"a"}})
	if err == nil || strings.Contains(err.Error(), testSecret) || !strings.Contains(err.Error(), "secret *** cannot") {
		t.Errorf("err = %v, want the secret masked", err)
	}
}

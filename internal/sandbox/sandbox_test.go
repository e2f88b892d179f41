package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

const (
	key      = sandbox.DefaultAPIKey
	validPut = `{"url":"https://example.com/hook","events":["model.processed","render.complete"],"enabled":true,"description":"Production webhook"}`
)

var fixedNow = time.Date(2025, 1, 15, 10, 30, 0, 123456789, time.UTC)

// reply is a decoded answer of the sandbox.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map, failing the test if it is not an object.
func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// errorMessage returns the "error" field of a JSON error body, checking the
// content type.
func (r reply) errorMessage(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	m := r.json(t)
	msg, ok := m["error"].(string)
	if !ok || len(m) != 1 {
		t.Fatalf("body %s is not {\"error\": string}", r.body)
	}
	return msg
}

type env struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	srv *httptest.Server
}

func newEnv(t *testing.T, opts sandbox.Options) *env {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &env{t: t, sb: sb, srv: srv}
}

// do sends a request with the API key apiKey ("" for none) and returns the
// answer.
func (e *env) do(method, path, apiKey, body string) reply {
	e.t.Helper()
	r, err := e.doCtx(context.Background(), method, path, apiKey, body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (e *env) doCtx(ctx context.Context, method, path, apiKey, body string) (reply, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+path, rd)
	if err != nil {
		return reply{}, err
	}
	if apiKey != "" {
		req.Header.Set("X-API-Key", apiKey)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "sandbox-test/1.0")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		return reply{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func (e *env) put(apiKey, body string) reply {
	e.t.Helper()
	return e.do(http.MethodPut, sandbox.WebhooksPath, apiKey, body)
}

func (e *env) get(apiKey string) reply {
	e.t.Helper()
	return e.do(http.MethodGet, sandbox.WebhooksPath, apiKey, "")
}

func (e *env) del(apiKey string) reply {
	e.t.Helper()
	return e.do(http.MethodDelete, sandbox.WebhooksPath, apiKey, "")
}

// mustStatus fails the test unless r has status want.
func mustStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body %s", r.status, want, r.body)
	}
}

func keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestAuth(t *testing.T) {
	const wrong = "not-the-key-0123456789"
	tests := []struct {
		name   string
		method string
		apiKey string
		body   string
	}{
		{"GET missing", http.MethodGet, "", ""},
		{"GET wrong", http.MethodGet, wrong, ""},
		{"PUT missing", http.MethodPut, "", validPut},
		{"PUT wrong", http.MethodPut, wrong, validPut},
		{"DELETE missing", http.MethodDelete, "", ""},
		{"DELETE wrong", http.MethodDelete, wrong, ""},
		{"key with different case", http.MethodGet, strings.ToUpper(key), ""},
		{"key prefix", http.MethodGet, key[:4], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://example.com", Events: []string{"job.failed"}, Enabled: true})
			r := e.do(tt.method, sandbox.WebhooksPath, tt.apiKey, tt.body)
			mustStatus(t, r, http.StatusUnauthorized)
			if got := r.errorMessage(t); got != "Invalid or missing API key" {
				t.Errorf("error = %q", got)
			}
			if tt.apiKey != "" && strings.Contains(string(r.body), tt.apiKey) {
				t.Errorf("body %s echoes the key", r.body)
			}
			if _, ok := e.sb.Webhook(key); !ok {
				t.Error("an unauthenticated request changed the webhook")
			}
			if reqs := e.sb.Requests(); len(reqs) != 1 || reqs[0].KeyValid {
				t.Errorf("log = %+v, want one entry with KeyValid false", reqs)
			}
		})
	}
}

func TestAuth_multipleKeys(t *testing.T) {
	e := newEnv(t, sandbox.Options{APIKeys: []string{"k1", "", "k2"}})
	for _, k := range []string{"k1", "k2"} {
		mustStatus(t, e.put(k, validPut), http.StatusOK)
	}
	for _, k := range []string{key, "k3", "K1"} {
		mustStatus(t, e.get(k), http.StatusUnauthorized)
	}
}

func TestPut_create(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	r := e.put(key, validPut)
	mustStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	m := r.json(t)
	if got, want := keys(m), []string{"description", "enabled", "events", "id", "secret", "url"}; !slices.Equal(got, want) {
		t.Fatalf("keys = %v, want %v", got, want)
	}
	id, _ := m["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Errorf("id %q is not a UUID: %v", id, err)
	}
	secret, _ := m["secret"].(string)
	if !strings.HasPrefix(secret, sandbox.SecretPrefix) || len(secret) != len(sandbox.SecretPrefix)+32 {
		t.Errorf("secret %q is not whsec_ + 32 hex digits", secret)
	}
	want := map[string]any{
		"id": id, "secret": secret, "url": "https://example.com/hook",
		"events":  []any{"model.processed", "render.complete"},
		"enabled": true, "description": "Production webhook",
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("body = %v, want %v", m, want)
	}
	stored, ok := e.sb.Webhook(key)
	if !ok || stored.ID != id || stored.Secret != secret {
		t.Errorf("stored = %+v, want id %s and the secret", stored, id)
	}

	// A second account gets another id and secret.
	e.sb.SetOptions(func(o *sandbox.Options) { o.APIKeys = append(o.APIKeys, "other") })
	m2 := e.put("other", validPut).json(t)
	if m2["id"] == id || m2["secret"] == secret {
		t.Errorf("second account reused id or secret: %v", m2)
	}
}

func TestGet_matchesPut(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := e.put(key, validPut).json(t)
	r := e.get(key)
	mustStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	g := r.json(t)
	if _, ok := g["secret"]; ok || strings.Contains(string(r.body), fmt.Sprint(p["secret"])) {
		t.Fatalf("GET returned the secret: %s", r.body)
	}
	want := map[string]any{
		"id": p["id"], "url": p["url"], "events": p["events"], "enabled": p["enabled"], "description": p["description"],
		"lastTriggeredAt": nil, "lastResponseStatus": nil, "failureCount": float64(0),
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("GET = %v, want %v", g, want)
	}
	// Keys present even when null, and in the documented order.
	wantOrder := `{"id":` // Cheap order check on the raw body.
	if !strings.HasPrefix(string(r.body), wantOrder) || !strings.HasSuffix(string(r.body), `"lastTriggeredAt":null,"lastResponseStatus":null,"failureCount":0}`) {
		t.Errorf("raw GET body %s", r.body)
	}
}

func TestPut_omitSecretOnUpdate(t *testing.T) {
	e := newEnv(t, sandbox.Options{OmitSecretOnUpdate: true})
	first := e.put(key, validPut).json(t)
	if s, _ := first["secret"].(string); s == "" {
		t.Fatal("a PUT that creates the webhook must return its secret")
	}
	second := e.put(key, validPut).json(t)
	if _, has := second["secret"]; has {
		t.Error("an update answered with a secret")
	}
	if w, _ := e.sb.Webhook(key); w.Secret != first["secret"] {
		t.Error("the update changed the stored secret")
	}
}

func TestPut_update(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		t.Run(fmt.Sprintf("rotate=%v", rotate), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{RotateSecretOnUpdate: rotate})
			first := e.put(key, validPut).json(t)
			e.sb.RecordDelivery(key, 500, sandbox.RetriesExhausted)
			r := e.put(key, `{"url":"http://example.org/new","events":["job.complete"],"enabled":false}`)
			mustStatus(t, r, http.StatusOK)
			second := r.json(t)
			if second["id"] != first["id"] {
				t.Errorf("id changed: %v -> %v", first["id"], second["id"])
			}
			if changed := second["secret"] != first["secret"]; changed != rotate {
				t.Errorf("secret changed = %v, want %v", changed, rotate)
			}
			if s, _ := second["secret"].(string); s == "" {
				t.Error("update returned no secret")
			}
			g := e.get(key).json(t)
			want := map[string]any{
				"id": first["id"], "url": "http://example.org/new", "events": []any{"job.complete"}, "enabled": false,
				"description": "", "lastTriggeredAt": "2025-01-15T10:30:00.123Z", "lastResponseStatus": float64(500), "failureCount": float64(1),
			}
			if !reflect.DeepEqual(g, want) {
				t.Errorf("GET = %v, want %v", g, want)
			}
			if w, _ := e.sb.Webhook(key); w.Secret != second["secret"] {
				t.Errorf("stored secret %q, answered %q", w.Secret, second["secret"])
			}
		})
	}
}

func TestPut_validation(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // Substring of the error message.
	}{
		{"empty body", "", "Invalid JSON body"},
		{"not JSON", "url=https://x", "Invalid JSON body"},
		{"truncated", `{"url":"https://x.com","events":["job.failed"]`, "Invalid JSON body"},
		{"trailing data", `{"url":"https://x.com","events":["job.failed"]} {}`, "Invalid JSON body"},
		{"array", `[]`, "Invalid JSON body"},
		{"null", `null`, "Invalid JSON body"},
		{"string", `"x"`, "Invalid JSON body"},
		{"url missing", `{"events":["job.failed"]}`, "url is required"},
		{"url null", `{"url":null,"events":["job.failed"]}`, "url is required"},
		{"url empty", `{"url":"","events":["job.failed"]}`, "url is required"},
		{"url number", `{"url":1,"events":["job.failed"]}`, "url must be a string"},
		{"url relative", `{"url":"/hooks","events":["job.failed"]}`, "url must be an absolute http or https URL"},
		{"url no scheme", `{"url":"example.com/hook","events":["job.failed"]}`, "url must be an absolute http or https URL"},
		{"url ftp", `{"url":"ftp://example.com/hook","events":["job.failed"]}`, "url must be an absolute http or https URL"},
		{"url no host", `{"url":"https:///hook","events":["job.failed"]}`, "url must be an absolute http or https URL"},
		{"url unparsable", `{"url":"https://exa mple.com:x","events":["job.failed"]}`, "url must be an absolute http or https URL"},
		{"url key wrong case", `{"URL":"https://example.com","events":["job.failed"]}`, "url is required"},
		{"events missing", `{"url":"https://example.com"}`, "events is required"},
		{"events null", `{"url":"https://example.com","events":null}`, "events is required"},
		{"events empty", `{"url":"https://example.com","events":[]}`, "events must contain at least one event"},
		{"events string", `{"url":"https://example.com","events":"job.failed"}`, "events must be an array of strings"},
		{"events numbers", `{"url":"https://example.com","events":[1]}`, "events must be an array of strings"},
		{"event unknown", `{"url":"https://example.com","events":["job.failed","model.deleted"]}`, `"model.deleted"`},
		{"event wrong case", `{"url":"https://example.com","events":["Job.Failed"]}`, `"Job.Failed"`},
		{"event empty", `{"url":"https://example.com","events":[""]}`, `invalid event ""`},
		{"enabled string", `{"url":"https://example.com","events":["job.failed"],"enabled":"yes"}`, "enabled must be a boolean"},
		{"description number", `{"url":"https://example.com","events":["job.failed"],"description":5}`, "description must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			r := e.put(key, tt.body)
			mustStatus(t, r, http.StatusBadRequest)
			if msg := r.errorMessage(t); !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want it to contain %q", msg, tt.want)
			}
			if _, ok := e.sb.Webhook(key); ok {
				t.Error("an invalid PUT created a webhook")
			}
		})
	}

	t.Run("invalid update leaves the webhook", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{})
		before := e.put(key, validPut).json(t)
		mustStatus(t, e.put(key, `{"url":"https://example.com","events":[]}`), http.StatusBadRequest)
		after, _ := e.sb.Webhook(key)
		if after.URL != before["url"] || after.Secret != before["secret"] {
			t.Errorf("webhook changed to %+v", after)
		}
	})
}

func TestPut_defaultsAndNormalization(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	r := e.put(key, `{"url":"HTTPS://Example.com/a?b=c","events":["job.failed","model.processed","job.failed"],"unknownField":1}`)
	mustStatus(t, r, http.StatusOK)
	m := r.json(t)
	if m["enabled"] != true {
		t.Errorf("enabled = %v, want true when absent", m["enabled"])
	}
	if got := m["events"]; !reflect.DeepEqual(got, []any{"job.failed", "model.processed"}) {
		t.Errorf("events = %v, want duplicates removed in first-seen order", got)
	}
	if m["url"] != "HTTPS://Example.com/a?b=c" {
		t.Errorf("url = %v, want it stored as sent", m["url"])
	}
	m = e.put(key, `{"url":"https://example.com","events":["job.failed"],"enabled":false}`).json(t)
	if m["enabled"] != false {
		t.Errorf("enabled = %v, want false", m["enabled"])
	}
	m = e.put(key, `{"url":"https://example.com","events":["job.failed"],"enabled":null}`).json(t)
	if m["enabled"] != true {
		t.Errorf("enabled = %v, want true when null", m["enabled"])
	}
}

func TestPut_bodyLimit(t *testing.T) {
	// A body of exactly MaxBodyBytes is accepted.
	prefix := `{"url":"https://example.com","events":["job.failed"],"description":"`
	suffix := `"}`
	fits := prefix + strings.Repeat("a", sandbox.MaxBodyBytes-len(prefix)-len(suffix)) + suffix
	e := newEnv(t, sandbox.Options{})
	mustStatus(t, e.put(key, fits), http.StatusOK)

	tooBig := prefix + strings.Repeat("a", sandbox.MaxBodyBytes) + suffix
	e = newEnv(t, sandbox.Options{})
	r := e.put(key, tooBig)
	mustStatus(t, r, http.StatusRequestEntityTooLarge)
	if msg := r.errorMessage(t); !strings.Contains(msg, "too large") {
		t.Errorf("error = %q", msg)
	}
	if _, ok := e.sb.Webhook(key); ok {
		t.Error("a too large PUT created a webhook")
	}
	if reqs := e.sb.Requests(); len(reqs) != 1 || len(reqs[0].Body) != sandbox.MaxLoggedBodyBytes || !reqs[0].BodyTruncated {
		t.Errorf("logged body of %d bytes, want %d, truncated", len(reqs[0].Body), sandbox.MaxLoggedBodyBytes)
	}
}

func TestNoWebhook(t *testing.T) {
	tests := []struct {
		name   string
		answer sandbox.NoWebhookAnswer
		method string
		status int
		body   string
	}{
		{"GET", sandbox.NoWebhookNotFound, http.MethodGet, http.StatusNotFound, ""},
		{"DELETE", sandbox.NoWebhookNotFound, http.MethodDelete, http.StatusNotFound, ""},
		{"GET null mode", sandbox.NoWebhookNull, http.MethodGet, http.StatusOK, "null"},
		{"GET empty body mode", sandbox.NoWebhookEmptyBody, http.MethodGet, http.StatusOK, "-"},
		{"GET empty object mode", sandbox.NoWebhookEmptyObject, http.MethodGet, http.StatusOK, "{}"},
		{"GET html mode", sandbox.NoWebhookHTML404, http.MethodGet, http.StatusNotFound, "<html><body><h1>404 Not Found</h1></body></html>"},
		{"DELETE empty body mode", sandbox.NoWebhookEmptyBody, http.MethodDelete, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{NoWebhookAnswer: tt.answer})
			r := e.do(tt.method, sandbox.WebhooksPath, key, "")
			mustStatus(t, r, tt.status)
			if tt.body != "" {
				if want := strings.TrimPrefix(tt.body, "-"); string(r.body) != want {
					t.Errorf("body = %q, want %q", r.body, want)
				}
				return
			}
			if msg := r.errorMessage(t); msg != "Webhook not found" {
				t.Errorf("error = %q", msg)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		noContent bool
		status    int
		body      string
	}{
		{false, http.StatusOK, `{"success":true}`},
		{true, http.StatusNoContent, ``},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("noContent=%v", tt.noContent), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{DeleteNoContent: tt.noContent})
			first := e.put(key, validPut).json(t)
			r := e.del(key)
			mustStatus(t, r, tt.status)
			if string(r.body) != tt.body {
				t.Errorf("body = %q, want %q", r.body, tt.body)
			}
			if ct := r.header.Get("Content-Type"); (tt.body != "") != (ct == "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			mustStatus(t, e.get(key), http.StatusNotFound)
			mustStatus(t, e.del(key), http.StatusNotFound)
			if _, ok := e.sb.Webhook(key); ok {
				t.Error("webhook still stored")
			}
			// A new PUT creates a new webhook with a new id and secret.
			r = e.put(key, validPut)
			mustStatus(t, r, http.StatusOK)
			if m := r.json(t); m["id"] == first["id"] || m["secret"] == first["secret"] {
				t.Errorf("re-created webhook reuses id or secret: %v", m)
			}
		})
	}
}

func TestDescription(t *testing.T) {
	tests := []struct {
		name     string
		field    string // Raw JSON member, "" for absent.
		asNull   bool
		wantJSON string
		stored   bool // Whether a description is stored.
	}{
		{"absent", ``, false, `"description":""`, false},
		{"null", `,"description":null`, false, `"description":""`, false},
		{"empty", `,"description":""`, false, `"description":""`, false},
		{"set", `,"description":"hi \"there\""`, false, `"description":"hi \"there\""`, true},
		{"absent as null", ``, true, `"description":null`, false},
		{"null as null", `,"description":null`, true, `"description":null`, false},
		{"empty as null", `,"description":""`, true, `"description":null`, false},
		{"set as null", `,"description":"x"`, true, `"description":"x"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{EmptyDescriptionAsNull: tt.asNull})
			p := e.put(key, `{"url":"https://example.com","events":["job.failed"]`+tt.field+`}`)
			mustStatus(t, p, http.StatusOK)
			g := e.get(key)
			for name, r := range map[string]reply{"PUT": p, "GET": g} {
				if !strings.Contains(string(r.body), tt.wantJSON) {
					t.Errorf("%s body %s does not contain %s", name, r.body, tt.wantJSON)
				}
			}
			w, _ := e.sb.Webhook(key)
			if (w.Description != nil) != tt.stored {
				t.Errorf("stored description = %v", w.Description)
			}
		})
	}

	t.Run("out-of-band empty string", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{EmptyDescriptionAsNull: true})
		empty := ""
		e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://example.com", Events: []string{"job.failed"}, Description: &empty})
		if b := string(e.get(key).body); !strings.Contains(b, `"description":null`) {
			t.Errorf("GET %s", b)
		}
	})
}

func TestReverseEvents(t *testing.T) {
	body := `{"url":"https://example.com","events":["render.failed","model.processed","job.complete"]}`
	for _, reverse := range []bool{false, true} {
		t.Run(fmt.Sprintf("reverse=%v", reverse), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{ReverseEvents: reverse})
			want := []any{"render.failed", "model.processed", "job.complete"}
			stored := []string{"render.failed", "model.processed", "job.complete"}
			if reverse {
				slices.Reverse(want)
			}
			if got := e.put(key, body).json(t)["events"]; !reflect.DeepEqual(got, want) {
				t.Errorf("PUT events = %v, want %v", got, want)
			}
			if got := e.get(key).json(t)["events"]; !reflect.DeepEqual(got, want) {
				t.Errorf("GET events = %v, want %v", got, want)
			}
			if w, _ := e.sb.Webhook(key); !slices.Equal(w.Events, stored) {
				t.Errorf("stored events = %v, want %v", w.Events, stored)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		status int
		allow  string
	}{
		{"trailing slash", http.MethodGet, "/api/v1/webhooks/", http.StatusOK, ""},
		{"query string", http.MethodGet, "/api/v1/webhooks?x=1", http.StatusOK, ""},
		{"unknown path", http.MethodGet, "/api/v1/models", http.StatusNotFound, ""},
		{"sub path", http.MethodGet, "/api/v1/webhooks/123", http.StatusNotFound, ""},
		{"root", http.MethodGet, "/", http.StatusNotFound, ""},
		{"no version", http.MethodGet, "/webhooks", http.StatusNotFound, ""},
		{"POST", http.MethodPost, "/api/v1/webhooks", http.StatusMethodNotAllowed, "GET, PUT, DELETE"},
		{"PATCH slash", http.MethodPatch, "/api/v1/webhooks/", http.StatusMethodNotAllowed, "GET, PUT, DELETE"},
		{"OPTIONS", http.MethodOptions, "/api/v1/webhooks", http.StatusMethodNotAllowed, "GET, PUT, DELETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://example.com", Events: []string{"job.failed"}})
			r := e.do(tt.method, tt.path, key, "")
			mustStatus(t, r, tt.status)
			switch tt.status {
			case http.StatusNotFound: // A missing route answers as a router, unlike the API's JSON "no webhook".
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || string(r.body) != "404 page not found\n" {
					t.Errorf("missing route = %q %q, want a router's plain-text 404", ct, r.body)
				}
			case http.StatusMethodNotAllowed:
				if msg := r.errorMessage(t); msg == "" {
					t.Error("empty error message")
				}
			}
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}

	t.Run("PUT with trailing slash", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{})
		mustStatus(t, e.do(http.MethodPut, "/api/v1/webhooks/", key, validPut), http.StatusOK)
		mustStatus(t, e.do(http.MethodDelete, "/api/v1/webhooks/", key, ""), http.StatusOK)
	})
}

func TestFaults(t *testing.T) {
	type step struct {
		method string
		status int
	}
	tests := []struct {
		name   string
		faults []sandbox.Fault
		steps  []step
	}{
		{
			name:   "count then normal",
			faults: []sandbox.Fault{{Status: 503, Count: 2}},
			steps:  []step{{"GET", 503}, {"PUT", 503}, {"PUT", 200}, {"GET", 200}},
		},
		{
			name:   "method filter",
			faults: []sandbox.Fault{{Method: "put", Status: 500, Count: 1}},
			steps:  []step{{"GET", 404}, {"DELETE", 404}, {"PUT", 500}, {"PUT", 200}},
		},
		{
			name:   "queued in order",
			faults: []sandbox.Fault{{Status: 500, Count: 1}, {Status: 502, Count: 1}},
			steps:  []step{{"GET", 500}, {"GET", 502}, {"GET", 404}},
		},
		{
			name:   "first matching fault applies",
			faults: []sandbox.Fault{{Method: "DELETE", Status: 500, Count: 1}, {Status: 429, Count: 1}},
			steps:  []step{{"GET", 429}, {"GET", 404}, {"DELETE", 500}, {"DELETE", 404}},
		},
		{
			name:   "pass-through placeholder",
			faults: []sandbox.Fault{{Count: 1}, {Status: 500, Count: 1}},
			steps:  []step{{"PUT", 200}, {"GET", 500}, {"GET", 200}},
		},
		{
			name:   "forever",
			faults: []sandbox.Fault{{Method: "GET", Status: 500}},
			steps:  []step{{"GET", 500}, {"GET", 500}, {"PUT", 200}, {"GET", 500}, {"GET", 500}},
		},
		{
			name:   "before auth and routing",
			faults: []sandbox.Fault{{Status: 502, Count: 1}},
			steps:  []step{{"POST", 502}, {"POST", 405}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			for _, f := range tt.faults {
				e.sb.InjectFault(f)
			}
			for i, s := range tt.steps {
				body := ""
				if s.method == "PUT" {
					body = validPut
				}
				r := e.do(s.method, sandbox.WebhooksPath, key, body)
				if r.status != s.status {
					t.Fatalf("step %d: %s = %d, want %d; body %s", i, s.method, r.status, s.status, r.body)
				}
			}
			reqs := e.sb.Requests()
			if len(reqs) != len(tt.steps) {
				t.Fatalf("logged %d requests, want %d", len(reqs), len(tt.steps))
			}
			for i, s := range tt.steps {
				if reqs[i].Method != s.method || reqs[i].Status != s.status {
					t.Errorf("log[%d] = %s %d, want %s %d", i, reqs[i].Method, reqs[i].Status, s.method, s.status)
				}
			}
		})
	}
}

func TestFaults_response(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.InjectFault(sandbox.Fault{Status: 429, Count: 1, RetryAfter: "7"})
	e.sb.InjectFault(sandbox.Fault{Status: 500, Count: 1, Message: "boom"})
	e.sb.InjectFault(sandbox.Fault{Status: 599, Count: 1})

	r := e.get(key)
	mustStatus(t, r, 429)
	if got := r.header.Get("Retry-After"); got != "7" {
		t.Errorf("Retry-After = %q", got)
	}
	if msg := r.errorMessage(t); msg != "Too Many Requests" {
		t.Errorf("error = %q", msg)
	}
	r = e.get(key)
	mustStatus(t, r, 500)
	if msg := r.errorMessage(t); msg != "boom" {
		t.Errorf("error = %q", msg)
	}
	if got := r.header.Get("Retry-After"); got != "" {
		t.Errorf("Retry-After = %q, want none", got)
	}
	r = e.get(key)
	mustStatus(t, r, 599)
	if msg := r.errorMessage(t); msg == "" {
		t.Error("empty message for a status without text")
	}
	if !e.sb.Requests()[0].Faulted {
		t.Error("log does not mark the faulted request")
	}
}

func TestFaults_stateUntouched(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.InjectFault(sandbox.Fault{Status: 500})
	mustStatus(t, e.put(key, validPut), 500)
	if _, ok := e.sb.Webhook(key); ok {
		t.Fatal("faulted PUT created a webhook")
	}
	e.sb.ClearFaults()
	created := e.put(key, validPut).json(t)

	e.sb.InjectFault(sandbox.Fault{Status: 503})
	mustStatus(t, e.put(key, `{"url":"https://changed.example.com","events":["job.failed"]}`), 503)
	mustStatus(t, e.del(key), 503)
	w, ok := e.sb.Webhook(key)
	if !ok || w.URL != created["url"] || w.Secret != created["secret"] {
		t.Fatalf("faulted requests changed the webhook: %+v", w)
	}
	if n := e.sb.CountRequests("PUT"); n != 3 {
		t.Errorf("CountRequests(PUT) = %d, want 3 (faulted requests are logged)", n)
	}
	e.sb.ClearFaults()
	mustStatus(t, e.del(key), http.StatusOK)
}

func TestFaults_delay(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	const d = 150 * time.Millisecond

	// A pure delay, then normal service.
	e.sb.InjectFault(sandbox.Fault{Method: "PUT", Delay: d, Count: 1})
	start := time.Now()
	mustStatus(t, e.put(key, validPut), http.StatusOK)
	if el := time.Since(start); el < d {
		t.Errorf("answered after %v, want at least %v", el, d)
	}
	if _, ok := e.sb.Webhook(key); !ok {
		t.Error("delayed PUT did not create the webhook")
	}

	// A delay with a status.
	e.sb.InjectFault(sandbox.Fault{Status: 504, Delay: d, Count: 1})
	start = time.Now()
	mustStatus(t, e.get(key), 504)
	if el := time.Since(start); el < d {
		t.Errorf("answered after %v, want at least %v", el, d)
	}

	// The client gives up during the delay: the handler returns early,
	// writes nothing and logs status 0.
	e.sb.ResetRequests()
	e.sb.InjectFault(sandbox.Fault{Status: 500, Delay: time.Minute, Count: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := e.doCtx(ctx, http.MethodDelete, sandbox.WebhooksPath, key, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	// The handler logs the request when it returns: a wait bounded by half the fault's minute
	// tells "returned early" from "waited out the delay", however loaded the machine.
	waitUntil(t, 30*time.Second, "the handler did not return", func() bool { return e.sb.CountRequests("") > 0 })
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("handler kept waiting %v", el)
	}
	reqs := e.sb.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 || reqs[0].Method != http.MethodDelete {
		t.Fatalf("log = %+v, want one DELETE with status 0", reqs)
	}
	if _, ok := e.sb.Webhook(key); !ok {
		t.Error("cancelled DELETE removed the webhook")
	}
	// The fault was used up.
	mustStatus(t, e.get(key), http.StatusOK)
}

func TestRequestLog(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	mustStatus(t, e.put(key, validPut), 200)
	mustStatus(t, e.get("wrong-key-xyz"), 401)
	mustStatus(t, e.do(http.MethodGet, "/api/v1/webhooks/?q=1", key, ""), 200)
	mustStatus(t, e.del(key), 200)

	want := []sandbox.Request{
		{Method: "PUT", Path: "/api/v1/webhooks", Status: 200, Time: fixedNow, KeyValid: true, Body: []byte(validPut), UserAgent: "sandbox-test/1.0"},
		{Method: "GET", Path: "/api/v1/webhooks", Status: 401, Time: fixedNow, UserAgent: "sandbox-test/1.0"},
		{Method: "GET", Path: "/api/v1/webhooks/", Status: 200, Time: fixedNow, KeyValid: true, UserAgent: "sandbox-test/1.0"},
		{Method: "DELETE", Path: "/api/v1/webhooks", Status: 200, Time: fixedNow, KeyValid: true, UserAgent: "sandbox-test/1.0"},
	}
	got := e.sb.Requests()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Requests() =\n%+v\nwant\n%+v", got, want)
	}
	if s := fmt.Sprintf("%+v %s", got, got[0].Body); strings.Contains(s, key) || strings.Contains(s, "wrong-key-xyz") {
		t.Error("the log holds an API key")
	}

	// Requests returns a copy.
	got[0].Body[0] = 'X'
	got[0].Method = "X"
	if r := e.sb.Requests()[0]; r.Method != http.MethodPut || r.Body[0] != '{' {
		t.Error("Requests() shares memory with the log")
	}

	for method, n := range map[string]int{"": 4, "GET": 2, "get": 2, "PUT": 1, "DELETE": 1, "POST": 0} {
		if c := e.sb.CountRequests(method); c != n {
			t.Errorf("CountRequests(%q) = %d, want %d", method, c, n)
		}
	}
	e.sb.ResetRequests()
	if n := len(e.sb.Requests()); n != 0 || e.sb.CountRequests("") != 0 {
		t.Errorf("after ResetRequests: %d entries", n)
	}
}

func TestOutOfBand(t *testing.T) {
	e := newEnv(t, sandbox.Options{})

	if e.sb.UpdateWebhook(key, func(*sandbox.Webhook) { t.Error("fn called without a webhook") }) {
		t.Error("UpdateWebhook = true without a webhook")
	}
	if e.sb.DeleteWebhook(key) {
		t.Error("DeleteWebhook = true without a webhook")
	}

	desc := "made elsewhere"
	set := e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://oob.example.com", Events: []string{"render.failed"}, Enabled: true, Description: &desc})
	if _, err := uuid.Parse(set.ID); err != nil || !strings.HasPrefix(set.Secret, sandbox.SecretPrefix) {
		t.Fatalf("SetWebhook did not fill id and secret: %+v", set)
	}
	g := e.get(key).json(t)
	if g["id"] != set.ID || g["url"] != "https://oob.example.com" || g["description"] != desc {
		t.Errorf("GET = %v", g)
	}

	// Replacing with empty ID and Secret keeps them.
	replaced := e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://other.example.com", Events: []string{"job.failed"}})
	if replaced.ID != set.ID || replaced.Secret != set.Secret || replaced.Enabled || replaced.Description != nil {
		t.Errorf("replace = %+v", replaced)
	}
	// Explicit values are used as given.
	explicit := e.sb.SetWebhook(key, sandbox.Webhook{ID: "custom-id", Secret: "s3cret", URL: "https://x.example.com", Events: []string{"job.failed"}})
	if explicit.ID != "custom-id" || explicit.Secret != "s3cret" {
		t.Errorf("explicit = %+v", explicit)
	}

	// UpdateWebhook edits in place.
	if !e.sb.UpdateWebhook(key, func(w *sandbox.Webhook) {
		w.Enabled = false
		w.Events = append(w.Events, "model.failed")
		w.FailureCount = 3
	}) {
		t.Fatal("UpdateWebhook = false")
	}
	g = e.get(key).json(t)
	if g["id"] != "custom-id" || g["enabled"] != false || !reflect.DeepEqual(g["events"], []any{"job.failed", "model.failed"}) || g["failureCount"] != float64(3) {
		t.Errorf("GET after UpdateWebhook = %v", g)
	}
	// An emptied ID is regenerated.
	e.sb.UpdateWebhook(key, func(w *sandbox.Webhook) { w.ID = "" })
	if w, _ := e.sb.Webhook(key); w.ID == "" || w.ID == "custom-id" {
		t.Errorf("ID after emptying = %q", w.ID)
	}

	// Webhook returns a deep copy.
	w, ok := e.sb.Webhook(key)
	if !ok {
		t.Fatal("Webhook = false")
	}
	w.Events[0] = "changed"
	if w2, _ := e.sb.Webhook(key); w2.Events[0] != "job.failed" || w2.URL != "https://x.example.com" {
		t.Error("Webhook() shares memory with the store")
	}
	// SetWebhook copies its argument.
	events := []string{"job.failed"}
	e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://y.example.com", Events: events})
	events[0] = "changed"
	if w2, _ := e.sb.Webhook(key); w2.Events[0] != "job.failed" {
		t.Error("SetWebhook kept the caller's slice")
	}

	// A PUT after an out-of-band change updates the same webhook.
	w, _ = e.sb.Webhook(key)
	p := e.put(key, validPut).json(t)
	if p["id"] != w.ID || p["secret"] != w.Secret {
		t.Errorf("PUT = %v, want id %s kept", p, w.ID)
	}

	if !e.sb.DeleteWebhook(key) {
		t.Error("DeleteWebhook = false")
	}
	mustStatus(t, e.get(key), http.StatusNotFound)
}

func TestRecordDelivery(t *testing.T) {
	now := fixedNow
	var mu sync.Mutex
	e := newEnv(t, sandbox.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	e.sb.RecordDelivery(key, 200, sandbox.RetriesLeft) // No webhook: nothing happens.
	if _, ok := e.sb.Webhook(key); ok {
		t.Fatal("RecordDelivery created a webhook")
	}
	mustStatus(t, e.put(key, validPut), http.StatusOK)

	steps := []struct {
		status    int
		retries   sandbox.Retries
		wantAt    string
		wantCode  any
		wantCount float64
	}{
		{200, sandbox.RetriesLeft, "2025-01-15T10:30:00.123Z", float64(200), 0},
		{500, sandbox.RetriesLeft, "2025-01-15T10:31:00.123Z", float64(500), 0},
		{503, sandbox.RetriesExhausted, "2025-01-15T10:32:00.123Z", float64(503), 1},
		{0, sandbox.RetriesExhausted, "2025-01-15T10:33:00.123Z", nil, 2}, // No response: no status.
		{204, sandbox.RetriesLeft, "2025-01-15T10:34:00.123Z", float64(204), 2},
	}
	for i, s := range steps {
		e.sb.RecordDelivery(key, s.status, s.retries)
		g := e.get(key).json(t)
		if g["lastTriggeredAt"] != s.wantAt || g["lastResponseStatus"] != s.wantCode || g["failureCount"] != s.wantCount {
			t.Errorf("step %d: GET = %v, want %s %v %v", i, g, s.wantAt, s.wantCode, s.wantCount)
		}
		advance(time.Minute)
	}
	w, _ := e.sb.Webhook(key)
	if w.LastTriggeredAt == nil || !w.LastTriggeredAt.Equal(fixedNow.Add(4*time.Minute).Truncate(time.Millisecond)) {
		t.Errorf("LastTriggeredAt = %v", w.LastTriggeredAt)
	}

	// Time zones are converted to UTC.
	e.sb.SetWebhook(key, sandbox.Webhook{URL: "https://example.com", Events: []string{"job.failed"},
		LastTriggeredAt: new(time.Date(2025, 1, 15, 12, 30, 0, 0, time.FixedZone("CET+2", 2*3600)))})
	if got := e.get(key).json(t)["lastTriggeredAt"]; got != "2025-01-15T10:30:00.000Z" {
		t.Errorf("lastTriggeredAt = %v", got)
	}
}

func TestSeparateAccounts(t *testing.T) {
	e := newEnv(t, sandbox.Options{APIKeys: []string{"alice", "bob"}})
	a := e.put("alice", validPut).json(t)
	mustStatus(t, e.get("bob"), http.StatusNotFound)
	mustStatus(t, e.del("bob"), http.StatusNotFound)
	b := e.put("bob", `{"url":"https://bob.example.com","events":["job.failed"]}`).json(t)
	if a["id"] == b["id"] || a["secret"] == b["secret"] {
		t.Error("accounts share id or secret")
	}
	e.sb.RecordDelivery("alice", 500, sandbox.RetriesExhausted)
	if g := e.get("bob").json(t); g["url"] != "https://bob.example.com" || g["failureCount"] != float64(0) {
		t.Errorf("bob = %v", g)
	}
	mustStatus(t, e.del("alice"), http.StatusOK)
	mustStatus(t, e.get("bob"), http.StatusOK)
	mustStatus(t, e.get("alice"), http.StatusNotFound)
}

func TestSetOptions(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	mustStatus(t, e.put(key, validPut), http.StatusOK)
	e.sb.SetOptions(func(o *sandbox.Options) {
		o.EmptyDescriptionAsNull = true
		o.APIKeys = []string{"new-key"}
	})
	mustStatus(t, e.get(key), http.StatusUnauthorized)
	mustStatus(t, e.get("new-key"), http.StatusNotFound)

	e.sb.SetOptions(func(o *sandbox.Options) { o.APIKeys = nil; o.NoWebhookAnswer = sandbox.NoWebhookEmptyBody })
	if r := e.get("new-key"); r.status != http.StatusUnauthorized {
		t.Errorf("nil APIKeys should mean the default key, got %d", r.status)
	}
	if r := e.get(key); r.status != http.StatusOK || !strings.Contains(string(r.body), `"description":"Production webhook"`) {
		t.Errorf("GET = %d %s", r.status, r.body)
	}
	if r := e.get("new-key"); r.status != http.StatusUnauthorized {
		t.Errorf("status %d", r.status)
	}
}

func TestEventTypes(t *testing.T) {
	want := []string{"model.processed", "model.failed", "project.created", "job.complete", "job.failed", "render.complete", "render.failed"}
	got := sandbox.EventTypes()
	if !slices.Equal(got, want) {
		t.Fatalf("EventTypes() = %v", got)
	}
	got[0] = "x"
	if sandbox.EventTypes()[0] != want[0] {
		t.Error("EventTypes() returns shared memory")
	}
	e := newEnv(t, sandbox.Options{})
	body, err := json.Marshal(map[string]any{"url": "https://example.com", "events": want})
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.put(key, string(body)), http.StatusOK)
}

func TestConcurrent(t *testing.T) {
	keys := []string{"k0", "k1", "k2", "k3"}
	e := newEnv(t, sandbox.Options{APIKeys: keys, Now: time.Now})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			k := keys[g%len(keys)]
			for i := range 20 {
				switch (g + i) % 8 {
				case 0, 1:
					e.put(k, validPut)
				case 2, 3:
					e.get(k)
				case 4:
					e.del(k)
				case 5:
					e.sb.RecordDelivery(k, 500, sandbox.Retries(i%2))
					e.sb.UpdateWebhook(k, func(w *sandbox.Webhook) { w.Enabled = !w.Enabled })
				case 6:
					e.sb.SetOptions(func(o *sandbox.Options) { o.ReverseEvents = !o.ReverseEvents })
					e.sb.InjectFault(sandbox.Fault{Status: 503, Count: 1})
					e.sb.Webhook(k)
				case 7:
					e.sb.SetWebhook(k, sandbox.Webhook{URL: "https://c.example.com", Events: []string{"job.failed"}})
					_ = e.sb.Requests()
					_ = e.sb.CountRequests("GET")
				}
			}
		})
	}
	wg.Wait()
	if n := e.sb.CountRequests(""); n == 0 {
		t.Error("no request logged")
	}
	e.sb.ClearFaults()
	for _, k := range keys {
		r := e.put(k, validPut)
		mustStatus(t, r, http.StatusOK)
	}
}

// waitUntil polls cond until it holds, failing the test with failure after limit. The limit
// only matters when the test fails.
func waitUntil(t *testing.T, limit time.Duration, failure string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", limit, failure)
		}
	}
}

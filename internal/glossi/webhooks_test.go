package glossi

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestGet(t *testing.T) {
	full := `{"id":"webhook-uuid","url":"https://your-app.com/hook","events":["model.processed","render.complete"],
		"enabled":true,"description":"Production webhook","lastTriggeredAt":"2025-01-15T10:30:00.000Z",
		"lastResponseStatus":200,"failureCount":3}`
	want := &Webhook{ID: "webhook-uuid", URL: "https://your-app.com/hook", Events: []string{"model.processed", "render.complete"},
		Enabled: true, Description: ptr("Production webhook"), LastTriggeredAt: ptr("2025-01-15T10:30:00.000Z"),
		LastResponseStatus: ptr(int64(200)), FailureCount: 3}
	tests := []struct {
		name       string
		status     int
		body       string
		want       *Webhook
		notFound   bool
		unexpected string
		// contentType replaces reply's application/json, when set.
		contentType string
	}{
		{name: "full", status: 200, body: full, want: want},
		{name: "nulls", status: 200, body: `{"id":"7","url":"u","events":[],"enabled":false,"description":null,"lastTriggeredAt":null,"lastResponseStatus":null}`,
			want: &Webhook{ID: "7", URL: "u", Events: []string{}}},
		{name: "duplicate events", status: 200, body: `{"id":"7","url":"u","events":["a","b","a","b"],"enabled":true}`,
			want: &Webhook{ID: "7", URL: "u", Events: []string{"a", "b"}, Enabled: true}},
		{name: "404 json", status: 404, body: `{"error":"Webhook not found"}`, notFound: true},
		{name: "200 null", status: 200, body: "null", notFound: true},
		{name: "404 empty", status: 404, unexpected: "404 Not Found with an empty body"},
		{name: "404 html", status: 404, body: "<html><body>Not Found</body></html>", unexpected: "404 Not Found with an HTML page"},
		{name: "404 router", status: 404, body: "404 page not found\n", unexpected: "a router's plain-text 404"},
		{name: "404 gateway", status: 404, body: `{"message":"no Route matched with those values"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 bare JSON", status: 404, body: `{"error":"Not found"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 framework", status: 404, body: `{"statusCode":404,"message":"Cannot GET /api/v1/webhooks","error":"Not Found"}`,
			unexpected: "does not say the webhook is missing"},
		{name: "404 no webhook", status: 404, body: `{"error":"No webhook configured"}`, notFound: true},
		{name: "404 no webhook in message", status: 404, body: `{"message":"No webhook configured"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 route wording", status: 404, body: `{"error":"no webhook route configured"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 more keys", status: 404, body: `{"error":"Webhook not found","path":"/api/webhooks"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 not a string", status: 404, body: `{"error":{"message":"Webhook not found"}}`, unexpected: "does not say the webhook is missing"},
		{name: "404 text/plain", status: 404, contentType: "text/plain", body: `{"error":"Webhook not found"}`, unexpected: "does not say the webhook is missing"},
		{name: "404 json charset", status: 404, contentType: "application/json; charset=utf-8", body: `{"error":"Webhook not found"}`, notFound: true},
		{name: "200 empty", status: 200, unexpected: "200 OK with an empty body"},
		{name: "200 whitespace", status: 200, body: " \n", unexpected: "200 OK with an empty body"},
		{name: "204", status: 204, unexpected: "204 No Content with an empty body"},
		{name: "200 empty object", status: 200, body: "{}", unexpected: "an empty JSON object"},
		{name: "200 empty id", status: 200, body: `{"id":"","url":"u"}`, unexpected: "a JSON object without an id"},
		{name: "200 wrapped", status: 200, body: `{"webhook":` + full + `}`, unexpected: "a JSON object without an id"},
		{name: "200 list", status: 200, body: `[]`, unexpected: "a body that is not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				reply(w, tt.status, tt.body)
			})
			got, err := newTestClient(t, api.URL, nil).Get(context.Background())
			switch {
			case tt.notFound:
				if !IsNotFound(err) || !strings.HasPrefix(err.Error(), "GET /webhooks: 404 Not Found") {
					t.Fatalf("err = %v, want not found", err)
				}
			case tt.unexpected != "":
				if !IsUnexpectedAnswer(err) || IsNotFound(err) || !strings.Contains(err.Error(), tt.unexpected) {
					t.Fatalf("err = %v, want an unexpected answer naming %q", err, tt.unexpected)
				}
			case err != nil:
				t.Fatal(err)
			case !reflect.DeepEqual(got, tt.want):
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if n := api.hits.Load(); n != 1 {
				t.Errorf("attempts = %d, want 1", n)
			}
		})
	}
}

func TestGet_badBody(t *testing.T) {
	for _, body := range []string{`{"id":`, `{"id":{}}`, `{"id":7}`} {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, body) })
		_, err := newTestClient(t, api.URL, nil).Get(context.Background())
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "GET /webhooks: decoding response") {
			t.Errorf("body %q: err = %v", body, err)
		}
	}
}

func TestPut(t *testing.T) {
	in := WebhookInput{URL: "https://your-app.com/hook", Events: []string{"model.processed", "job.failed"}, Enabled: true, Description: "Prod"}
	body := `{"id":"wh","url":"https://your-app.com/hook","secret":"` + testSecret + `","events":["job.failed","model.processed"],"enabled":true,"description":"Prod"}`
	want := &Webhook{ID: "wh", URL: "https://your-app.com/hook", Secret: testSecret, Events: []string{"job.failed", "model.processed"}, Enabled: true, Description: ptr("Prod")}
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, body) })
	got, err := newTestClient(t, api.URL, nil).Put(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestPut_noWebhookInAnswer(t *testing.T) {
	for _, body := range []string{``, `{"success":true}`, `null`} {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 200, body) })
		_, err := newTestClient(t, api.URL, nil).Put(context.Background(), WebhookInput{URL: "u"})
		if !IsUnexpectedAnswer(err) || IsNotFound(err) {
			t.Errorf("body %q: err = %v", body, err)
		}
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		notFound bool
	}{
		{name: "200 body", status: 200, body: `{"id":"wh","url":"u"}`},
		{name: "200 success", status: 200, body: `{"success":true}`},
		{name: "200 empty", status: 200},
		{name: "204", status: 204},
		{name: "202", status: 202},
		{name: "404", status: 404, body: `{"error":"No webhook configured"}`, notFound: true},
		{name: "404 html", status: 404, body: `<html>Not Found</html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodDelete {
					t.Errorf("method = %s", r.Method)
				}
				reply(w, tt.status, tt.body)
			})
			err := newTestClient(t, api.URL, nil).Delete(context.Background())
			if tt.body == `<html>Not Found</html>` {
				if !IsUnexpectedAnswer(err) || IsNotFound(err) {
					t.Fatalf("err = %v, want an unexpected answer", err)
				}
				return
			}
			if tt.notFound {
				if !IsNotFound(err) || err.Error() != "DELETE /webhooks: 404 Not Found: No webhook configured" {
					t.Fatalf("err = %v, want not found", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestClient_apiErrors(t *testing.T) {
	long := strings.Repeat("x", 500)
	tests := []struct {
		name    string
		status  int
		body    string
		want    string
		unauth  bool
		retried bool
	}{
		{name: "401", status: 401, body: `{"error":"Invalid or missing API key"}`,
			want: "GET /webhooks: 401 Unauthorized: Invalid or missing API key", unauth: true},
		{name: "401 echoing the key", status: 401, body: `{"error":"bad key ` + testKey + `"}`,
			want: "GET /webhooks: 401 Unauthorized: bad key ***", unauth: true},
		{name: "403 message", status: 403, body: `{"message":"Forbidden for this plan"}`,
			want: "GET /webhooks: 403 Forbidden: Forbidden for this plan", unauth: true},
		{name: "400 error", status: 400, body: `{"error":"url must be https"}`,
			want: "GET /webhooks: 400 Bad Request: url must be https"},
		{name: "422 message", status: 422, body: `{"message":"events must not be empty"}`,
			want: "GET /webhooks: 422 Unprocessable Entity: events must not be empty"},
		{name: "400 nested", status: 400, body: `{"error":{"code":"X","message":"nested msg"}}`,
			want: "GET /webhooks: 400 Bad Request: nested msg"},
		{name: "400 nestjs", status: 400, body: `{"statusCode":400,"error":"Bad Request","message":["url must be a URL","events must be an array"]}`,
			want: "GET /webhooks: 400 Bad Request: url must be a URL; events must be an array"},
		{name: "409 both", status: 409, body: `{"error":"already exists","message":"try later"}`,
			want: "GET /webhooks: 409 Conflict: already exists: try later"},
		{name: "400 other json", status: 400, body: `{"errors":[{"field":"url"}],"secret":"` + testSecret + `"}`,
			want: `GET /webhooks: 400 Bad Request: {"errors":[{"field":"url"}],"secret":"***"}`},
		{name: "400 text", status: 400, body: "  bad\n\n input  ",
			want: "GET /webhooks: 400 Bad Request: bad input"},
		{name: "400 long text", status: 400, body: long,
			want: "GET /webhooks: 400 Bad Request: " + long[:maxMessageLen] + "…"},
		{name: "400 empty", status: 400, want: "GET /webhooks: 400 Bad Request"},
		{name: "400 status text only", status: 400, body: `{"error":"Bad Request"}`, want: "GET /webhooks: 400 Bad Request"},
		{name: "418 html", status: 418, body: "<html><body>teapot</body></html>", want: "GET /webhooks: 418 I'm a teapot"},
		{name: "301 elsewhere", status: 301, want: "GET /webhooks: 301 Moved Permanently"},
		{name: "501 not retried", status: 501, body: `{"error":"nope"}`, want: "GET /webhooks: 501 Not Implemented: nope"},
		{name: "502 html retried", status: 502, body: "<html>bad gateway</html>", want: "GET /webhooks: 502 Bad Gateway (after 3 attempts)", retried: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if tt.status == 301 {
					w.Header().Set("Location", "https://elsewhere.invalid/webhooks")
				}
				reply(w, tt.status, tt.body)
			})
			_, err := newTestClient(t, api.URL, nil).Get(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Fatalf("err = %#v, want *APIError %d", err, tt.status)
			}
			if err.Error() != tt.want {
				t.Errorf("err = %q\nwant  %q", err, tt.want)
			}
			if IsUnauthorized(err) != tt.unauth || IsNotFound(err) {
				t.Errorf("IsUnauthorized = %v, IsNotFound = %v", IsUnauthorized(err), IsNotFound(err))
			}
			wantHits := int32(1)
			if tt.retried {
				wantHits = 3
			}
			if n := api.hits.Load(); n != wantHits || int32(ae.Attempts) != wantHits {
				t.Errorf("hits = %d, Attempts = %d, want %d", n, ae.Attempts, wantHits)
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestAPIError_Error(t *testing.T) {
	tests := []struct {
		e    APIError
		want string
	}{
		{APIError{Method: "GET", Path: "/webhooks", StatusCode: 500, Message: "boom", Attempts: 3}, "GET /webhooks: 500 Internal Server Error: boom (after 3 attempts)"},
		{APIError{Method: "PUT", StatusCode: 599}, "PUT: 599"},
		{APIError{StatusCode: 404}, "Glossi API: 404 Not Found"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

package glossi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestNewClient_baseURL(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{name: "default", in: "", want: DefaultBaseURL},
		{name: "plain", in: "https://api.example.com/api/v1", want: "https://api.example.com/api/v1"},
		{name: "trailing slash", in: "https://api.example.com/api/v1/", want: "https://api.example.com/api/v1"},
		{name: "http with port", in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{name: "relative", in: "api.glossi.app/api/v1", wantErr: "not absolute"},
		{name: "path only", in: "/api/v1", wantErr: "not absolute"},
		{name: "ftp", in: "ftp://api.glossi.app/api/v1", wantErr: `scheme "ftp" is not http or https`},
		{name: "no host", in: "https:///api/v1", wantErr: "no host"},
		{name: "opaque", in: "https:api.glossi.app", wantErr: "no host"},
		{name: "user info", in: "https://me:pw@api.glossi.app", wantErr: "user info"},
		{name: "query", in: "https://api.glossi.app/api/v1?x=1", wantErr: "query"},
		{name: "fragment", in: "https://api.glossi.app/api/v1#x", wantErr: "fragment"},
		{name: "unparsable", in: "https://api.glossi.app/%zz", wantErr: "invalid Glossi base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(Config{BaseURL: tt.in, APIKey: testKey})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "pw") {
					t.Errorf("error shows the URL password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClient_pathAndHeaders(t *testing.T) {
	for _, suffix := range []string{"/api/v1", "/api/v1/", "/api/v1//"} {
		t.Run(suffix, func(t *testing.T) {
			api := newFakeAPI(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case http.MethodPut:
					reply(w, 200, `{"id":"wh1","url":"https://x","secret":"s","events":[],"enabled":false,"description":null}`)
				case http.MethodGet:
					reply(w, 200, `{"id":"wh1"}`)
				default:
					reply(w, 204, "")
				}
			})
			c := newTestClient(t, api.URL+suffix, nil)
			ctx := context.Background()
			if _, err := c.Put(ctx, WebhookInput{URL: "https://x"}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Get(ctx); err != nil {
				t.Fatal(err)
			}
			if err := c.Delete(ctx); err != nil {
				t.Fatal(err)
			}
			reqs := api.requests()
			if len(reqs) != 3 {
				t.Fatalf("requests = %d, want 3", len(reqs))
			}
			for _, r := range reqs {
				if r.Path != "/api/v1/webhooks" {
					t.Errorf("%s path = %q, want /api/v1/webhooks", r.Method, r.Path)
				}
				want := map[string]string{"X-Api-Key": testKey, "User-Agent": "glossi-test/1.0", "Accept": "application/json"}
				for k, v := range want {
					if got := r.Header.Get(k); got != v {
						t.Errorf("%s header %s = %q, want %q", r.Method, k, got, v)
					}
				}
				ct := r.Header.Get("Content-Type")
				if r.Method == http.MethodPut && ct != "application/json" {
					t.Errorf("PUT Content-Type = %q", ct)
				}
				if r.Method != http.MethodPut && (ct != "" || len(r.Body) != 0) {
					t.Errorf("%s sent Content-Type %q and body %q", r.Method, ct, r.Body)
				}
			}
			// The PUT body always carries description and never events: null.
			var sent map[string]any
			if err := json.Unmarshal(reqs[0].Body, &sent); err != nil {
				t.Fatal(err)
			}
			if d, ok := sent["description"]; !ok || d != "" {
				t.Errorf("description sent = %#v (present %v), want \"\"", d, ok)
			}
			if ev, ok := sent["events"].([]any); !ok || len(ev) != 0 {
				t.Errorf("events sent = %#v, want []", sent["events"])
			}
		})
	}
}

func TestClient_defaultUserAgentAndTrimmedKey(t *testing.T) {
	api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 204, "") })
	c := newTestClient(t, api.URL, func(cfg *Config) { cfg.UserAgent = ""; cfg.APIKey = " " + testKey + "\n" })
	if err := c.Delete(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := api.requests()[0].Header.Get("User-Agent"); got != defaultUserAgent {
		t.Errorf("User-Agent = %q", got)
	}
	if got := api.requests()[0].Header.Get("X-API-Key"); got != testKey {
		t.Errorf("X-API-Key = %q", got)
	}
}

func TestClient_missingAPIKey(t *testing.T) {
	for _, key := range []string{"", "  \n"} {
		api := newFakeAPI(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, 204, "") })
		c := newTestClient(t, api.URL, func(cfg *Config) { cfg.APIKey = key })
		ctx := context.Background()
		_, errGet := c.Get(ctx)
		_, errPut := c.Put(ctx, WebhookInput{URL: "https://x"})
		errDel := c.Delete(ctx)
		for _, err := range []error{errGet, errPut, errDel} {
			if !errors.Is(err, ErrMissingAPIKey) {
				t.Errorf("key %q: err = %v, want ErrMissingAPIKey", key, err)
			}
		}
		if n := api.hits.Load(); n != 0 {
			t.Errorf("key %q: %d requests made, want 0", key, n)
		}
	}
}

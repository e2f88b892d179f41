package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// BasePath is the path of the API, the end of a client's base URL.
const BasePath = "/api/v1"

// WebhooksPath is the path of the webhooks endpoint; the same path with a
// trailing slash is accepted too.
const WebhooksPath = BasePath + "/webhooks"

const allowedMethods = "GET, PUT, DELETE"

// msgNotFound is the message of the API's "no webhook" answer, which clients
// tell apart from a router's 404.
const msgNotFound = "Webhook not found"

// ServeHTTP answers one request to the emulated API. The checks run in this
// order: injected faults, path (404), method (405), API key (401), body size
// (413), body validation (400).
//
// The control endpoint TriggerPath is answered apart: it takes no fault and
// is not logged.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TriggerPath {
		s.serveTrigger(w, r)
		return
	}
	opts := s.options()
	key := r.Header.Get(APIKeyHeader)
	entry := Request{
		Method:    r.Method,
		Path:      r.URL.Path,
		Time:      opts.Now(),
		KeyValid:  opts.validKey(key),
		UserAgent: r.UserAgent(),
	}
	body, tooLarge, readErr := readBody(w, r)
	entry.Body = body

	var resp response
	req := apiRequest{ctx: r.Context(), method: r.Method, path: r.URL.Path, key: key, keyValid: entry.KeyValid,
		body: body, tooLarge: tooLarge, readErr: readErr}
	f, faulted := s.takeFault(r.Method)
	switch {
	case faulted && !wait(r.Context(), f.Delay):
		s.logRequest(entry) // Status 0: the client went away.
		return
	case faulted && f.Status != 0:
		if f.AfterApply {
			s.route(req, opts) // applied; its answer is lost behind the fault's
		}
		resp = faultResponse(f)
		entry.Faulted = true
	default:
		resp = s.route(req, opts)
	}
	if !bodyAllowed(resp.status) {
		delete(resp.header, "Content-Type")
		resp.body = nil
	}
	if r.Method == http.MethodPut && resp.status == http.StatusOK && opts.AfterPut != nil && entry.KeyValid {
		opts.AfterPut(key) // before the answer, so the client's next request sees it
	}
	resp.write(w)
	entry.Status = resp.status
	s.logRequest(entry)
}

// readBody reads at most MaxBodyBytes of the request body; tooLarge reports
// that there was more.
func readBody(w http.ResponseWriter, r *http.Request) (body []byte, tooLarge bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return b, true, nil
	}
	if len(b) == 0 {
		b = nil
	}
	return b, false, err
}

func faultResponse(f Fault) response {
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(f.Status)
	}
	if msg == "" {
		msg = fmt.Sprintf("Status %d", f.Status)
	}
	resp := errorResponse(f.Status, msg)
	if f.RetryAfter != "" {
		resp.header.Set("Retry-After", f.RetryAfter)
	}
	return resp
}

// apiRequest is what route needs of a request.
type apiRequest struct {
	ctx          context.Context
	method, path string
	key          string
	keyValid     bool
	body         []byte
	tooLarge     bool  // the body was longer than MaxBodyBytes
	readErr      error // reading the body failed
}

// route answers a request that no fault decided.
func (s *Sandbox) route(r apiRequest, opts Options) response {
	key := r.key
	if r.path != WebhooksPath && r.path != WebhooksPath+"/" {
		return strayNotFound(opts.StrayNotFound, r.method, r.path)
	}
	switch r.method {
	case http.MethodGet, http.MethodPut, http.MethodDelete:
	default:
		resp := errorResponse(http.StatusMethodNotAllowed, msgMethodNotAllowed(r.method, allowedMethods))
		resp.header.Set("Allow", allowedMethods)
		return resp
	}
	if !r.keyValid {
		return errorResponse(http.StatusUnauthorized, msgInvalidKey)
	}
	switch r.method {
	case http.MethodPut:
		switch {
		case r.tooLarge:
			return errorResponse(http.StatusRequestEntityTooLarge, msgTooLarge)
		case r.readErr != nil:
			return errorResponse(http.StatusBadRequest, msgReadFailed)
		}
		in, msg := parseWebhookInput(r.body)
		if msg != "" {
			return errorResponse(http.StatusBadRequest, msg)
		}
		f, _ := s.takePutFault()
		if !f.hold(r.ctx) {
			return errorResponse(http.StatusServiceUnavailable, "request cancelled before it was applied")
		}
		h, created := s.store.upsert(key, rewriteInput(in, opts), opts.RotateSecretOnUpdate)
		body := putBody(h, opts)
		if !created && opts.OmitSecretOnUpdate {
			body.Secret = ""
		}
		return f.answer(r.ctx, body)
	case http.MethodGet:
		h, ok := s.store.get(key)
		if !ok {
			return noWebhookResponse(opts.NoWebhookAnswer)
		}
		g := getBody(h, opts)
		if opts.DuplicateEvents {
			g.Events = append(g.Events, g.Events...)
		}
		return jsonResponse(http.StatusOK, g)
	default: // DELETE
		if !s.store.remove(key) {
			return errorResponse(http.StatusNotFound, msgNotFound)
		}
		if opts.DeleteNoContent {
			return response{status: http.StatusNoContent}
		}
		return jsonResponse(http.StatusOK, struct {
			Success bool `json:"success"`
		}{true})
	}
}

// strayNotFound answers an unknown path as something other than the API
// would: a router, a gateway or a web framework. Unlike the API's JSON "no
// webhook", none of these says anything about any webhook.
func strayNotFound(kind StrayNotFound, method, path string) response {
	switch kind {
	case StrayNotFoundBareJSON:
		return errorResponse(http.StatusNotFound, "Not found")
	case StrayNotFoundGateway:
		return jsonResponse(http.StatusNotFound, struct {
			Message string `json:"message"`
		}{"no Route matched with those values"})
	case StrayNotFoundFramework:
		return jsonResponse(http.StatusNotFound, struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
			Error      string `json:"error"`
		}{http.StatusNotFound, "Cannot " + method + " " + path, "Not Found"})
	}
	return response{status: http.StatusNotFound, header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		body: []byte("404 page not found\n")}
}

// noWebhookResponse is the answer of a GET when there is no webhook.
func noWebhookResponse(answer NoWebhookAnswer) response {
	raw := func(status int, contentType, body string) response {
		return response{status: status, header: http.Header{"Content-Type": {contentType}}, body: []byte(body)}
	}
	switch answer {
	case NoWebhookNull:
		return raw(http.StatusOK, "application/json", "null")
	case NoWebhookEmptyBody:
		return raw(http.StatusOK, "application/json", "")
	case NoWebhookEmptyObject:
		return raw(http.StatusOK, "application/json", "{}")
	case NoWebhookHTML404:
		return raw(http.StatusNotFound, "text/html; charset=utf-8", "<html><body><h1>404 Not Found</h1></body></html>")
	}
	return errorResponse(http.StatusNotFound, msgNotFound)
}

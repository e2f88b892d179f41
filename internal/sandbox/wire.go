package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
)

// The wire helpers that the API handler, the trigger endpoint, the payloads
// and the state file share.

// APIKeyHeader is the header that carries the API key, as the Glossi
// documentation spells it.
const APIKeyHeader = "X-API-Key" //nolint:gosec // G101: a header name, not a credential.

// timeLayout is how every time is written: UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Messages of refusals that the API and the trigger endpoint share. The
// message of a 401 is worded as in the Glossi documentation.
const (
	msgInvalidKey = "Invalid or missing API key"
	msgReadFailed = "Could not read the request body"
)

var msgTooLarge = fmt.Sprintf("Request body too large: the limit is %d bytes", MaxBodyBytes)

func msgMethodNotAllowed(method, allowed string) string {
	return "Method " + method + " not allowed; use " + allowed
}

// response is an answer to write: a status, extra headers and a body.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil { // Cannot happen with the types used here.
		return errorResponse(http.StatusInternalServerError, "Internal server error")
	}
	return response{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: b}
}

func errorResponse(status int, msg string) response {
	return jsonResponse(status, struct {
		Error string `json:"error"`
	}{msg})
}

func (r response) write(w http.ResponseWriter) {
	maps.Copy(w.Header(), r.header)
	if len(r.body) > 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	}
	w.WriteHeader(r.status)
	if len(r.body) > 0 && bodyAllowed(r.status) {
		_, _ = w.Write(r.body)
	}
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// marshalCompact is json.Marshal without HTML escaping.
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// isNull reports whether raw is the JSON null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

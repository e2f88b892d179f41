package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// rewriteInput applies the modes in which the API stores something other
// than what it was sent.
func rewriteInput(in webhookInput, opts Options) webhookInput {
	if opts.NormalizeURL {
		if u, err := url.Parse(in.url); err == nil {
			u.Host = strings.ToLower(u.Host)
			if u.Path == "" {
				u.Path = "/"
			}
			in.url = u.String()
		}
	}
	if opts.DropLastEvent && len(in.events) > 1 {
		in.events = in.events[:len(in.events)-1]
	}
	return in
}

// parseWebhookInput validates a PUT body. It returns a message naming the
// problem, or "" and the input.
func parseWebhookInput(body []byte) (webhookInput, string) {
	in := webhookInput{enabled: true}
	if len(bytes.TrimSpace(body)) == 0 {
		return in, "Invalid JSON body: the body is empty; expected an object with url and events"
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil {
		if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return in, "Invalid JSON body: expected an object with url and events"
		}
		return in, "Invalid JSON body: " + err.Error()
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return in, "Invalid JSON body: unexpected data after the object"
	}
	if fields == nil { // The body was null.
		return in, "Invalid JSON body: expected an object with url and events"
	}

	// url
	raw, ok := fields["url"]
	if !ok || isNull(raw) {
		return in, "url is required"
	}
	if err := json.Unmarshal(raw, &in.url); err != nil {
		return in, "url must be a string"
	}
	if in.url == "" {
		return in, "url is required"
	}
	if !validURL(in.url) {
		return in, "url must be an absolute http or https URL"
	}

	// events
	raw, ok = fields["events"]
	if !ok || isNull(raw) {
		return in, "events is required"
	}
	var events []string
	if err := json.Unmarshal(raw, &events); err != nil {
		return in, "events must be an array of strings"
	}
	if len(events) == 0 {
		return in, "events must contain at least one event"
	}
	for _, e := range events {
		if !KnownEvent(e) {
			return in, fmt.Sprintf("events contains an invalid event %q; valid events are %s", e, knownEventList())
		}
		if !slices.Contains(in.events, e) {
			in.events = append(in.events, e)
		}
	}

	// enabled
	if raw, ok := fields["enabled"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &in.enabled); err != nil {
			return in, "enabled must be a boolean"
		}
	}

	// description
	if raw, ok := fields["description"]; ok && !isNull(raw) {
		var d string
		if err := json.Unmarshal(raw, &d); err != nil {
			return in, "description must be a string"
		}
		if d != "" {
			in.description = &d
		}
	}
	return in, ""
}

// validURL reports whether s is an absolute http or https URL with a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return false
	}
	return strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")
}

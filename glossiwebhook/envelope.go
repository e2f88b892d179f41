package glossiwebhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// decodeEnvelope reads the top level of a delivery in one pass without
// encoding/json, and keeps "data" as the raw bytes it was sent as.
//
// It reads what JavaScript's JSON.parse reads, where that decides what the
// envelope says: a repeated key counts by its last value, keys match by
// exact case ("Event" is not "event"), and keys and the event and timestamp
// strings are unescaped ("\u0065vent" is "event"). The top level must be one
// JSON object with nothing after it but whitespace. Values other than event
// and timestamp are skipped by their brackets and strings without being
// validated; "data" is validated when DataAs decodes it.
func decodeEnvelope(ev *Event, body []byte) error {
	var eventRaw, tsRaw []byte
	ev.Data = nil
	s := scanner{b: body}
	if !s.startObject() {
		return fmt.Errorf("%w: body is not a JSON object", ErrInvalidPayload)
	}
	for more := s.firstMember(); more; more = s.nextMember() {
		key, ok := s.key()
		if !ok {
			return s.invalid()
		}
		val, ok := s.value()
		if !ok {
			return s.invalid()
		}
		switch {
		case keyIs(key, "event"):
			eventRaw = val
		case keyIs(key, "timestamp"):
			tsRaw = val
		case keyIs(key, "data"):
			ev.Data = val
		}
	}
	if !s.endObject() {
		return s.invalid()
	}
	return ev.setHeader(body, eventRaw, tsRaw)
}

func (ev *Event) setHeader(body, eventRaw, tsRaw []byte) error {
	event, err := jsonString(eventRaw)
	if err != nil || len(event) == 0 {
		return fmt.Errorf("%w: missing \"event\" string", ErrInvalidPayload)
	}
	ts, err := jsonString(tsRaw)
	if err != nil {
		return fmt.Errorf("%w: missing \"timestamp\" string", ErrInvalidPayload)
	}
	if err := ev.Timestamp.UnmarshalText(ts); err != nil {
		return fmt.Errorf("%w: \"timestamp\" is not RFC 3339: %w", ErrInvalidPayload, err)
	}
	ev.Type = eventTypeOf(event)
	ev.Raw = body
	return nil
}

// eventTypeOf returns t for the known types without allocating.
func eventTypeOf(b []byte) EventType {
	for _, t := range knownEvents {
		if string(b) == string(t) {
			return t
		}
	}
	if string(b) == string(EventProbe) {
		return EventProbe
	}
	return EventType(b)
}

// jsonString returns the content of the JSON string raw, unescaped. Most
// strings have no escape, control character or invalid UTF-8 and come back
// as a subslice; the rest are decoded by encoding/json.
func jsonString(raw []byte) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, errNotString
	}
	inner := raw[1 : len(raw)-1]
	if plainString(inner) {
		return inner, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

var errNotString = fmt.Errorf("%w: not a JSON string", ErrInvalidPayload)

func plainString(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '\\' || c >= utf8.RuneSelf {
			return utf8.Valid(b) && bytes.IndexByte(b, '\\') < 0 && !hasControl(b)
		}
	}
	return true
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// keyIs compares a raw key, quotes included, with name, exactly as
// JSON.parse would after unescaping.
func keyIs(raw []byte, name string) bool {
	if len(raw) == len(name)+2 && string(raw[1:len(raw)-1]) == name {
		return true
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return false
	}
	k, err := jsonString(raw)
	return err == nil && string(k) == name
}

package glossiwebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

// envelopeCases are what JavaScript's JSON.parse makes of each body; the
// hand-written decoder must read the same event, timestamp and data.
var envelopeCases = []struct {
	name, body, event, data string
	ok                      bool
}{
	{"compact", `{"event":"job.failed","timestamp":"` + testTS + `","data":{"jobId":"j"}}`, "job.failed", `{"jobId":"j"}`, true},
	{"pretty", "{\r\n\t\"event\" : \"job.failed\" ,\n \"timestamp\":\"" + testTS + "\", \"data\" : [1, {\"a\":\"}\"}] }\n", "job.failed", `[1, {"a":"}"}]`, true},
	{"duplicate event: the last wins", `{"event":"job.failed","event":"model.failed","timestamp":"` + testTS + `"}`, "model.failed", "", true},
	{"duplicate data: the last wins", `{"data":1,"event":"x","timestamp":"` + testTS + `","data":null}`, "x", "null", true},
	{"key case is exact", `{"Event":"job.failed","event":"model.failed","EVENT":"x","timestamp":"` + testTS + `"}`, "model.failed", "", true},
	{"only a wrong-case key", `{"Event":"job.failed","timestamp":"` + testTS + `"}`, "", "", false},
	{"escaped key", `{"\u0065vent":"job.failed","timestamp":"` + testTS + `"}`, "job.failed", "", true},
	{"escaped value", `{"event":"job\u002efailed","timestamp":"` + testTS + `"}`, "job.failed", "", true},
	{"escaped quote inside data", `{"event":"x","timestamp":"` + testTS + `","data":"a\"}\\"}`, "x", `"a\"}\\"`, true},
	{"nested event is not the event", `{"data":{"event":"job.failed"},"timestamp":"` + testTS + `"}`, "", "", false},
	{"event not a string", `{"event":1,"timestamp":"` + testTS + `"}`, "", "", false},
	{"empty event", `{"event":"","timestamp":"` + testTS + `"}`, "", "", false},
	{"timestamp not RFC 3339", `{"event":"x","timestamp":"15/01/2025"}`, "", "", false},
	{"array", `[{"event":"x","timestamp":"` + testTS + `"}]`, "", "", false},
	{"trailing garbage", `{"event":"x","timestamp":"` + testTS + `"}x`, "", "", false},
	{"two objects", `{"event":"x","timestamp":"` + testTS + `"}{}`, "", "", false},
	{"unterminated", `{"event":"x","timestamp":"` + testTS + `"`, "", "", false},
	{"missing colon", `{"event" "x","timestamp":"` + testTS + `"}`, "", "", false},
	{"trailing comma", `{"event":"x","timestamp":"` + testTS + `",}`, "", "", false},
	{"control character in event", "{\"event\":\"x\ny\",\"timestamp\":\"" + testTS + "\"}", "", "", false},
	{"non-ASCII event", `{"event":"modèle.traité","timestamp":"` + testTS + `"}`, "modèle.traité", "", true},
	{"no value", `{"event":,"timestamp":"` + testTS + `"}`, "", "", false},
	{"no value before the end", `{"event":}`, "", "", false},
	{"ends after a colon", `{"event":`, "", "", false},
	{"unterminated string", `{"event":"job.failed`, "", "", false},
	{"unterminated data", `{"event":"x","timestamp":"` + testTS + `","data":{"a":[1`, "", "", false},
	{"unterminated string in data", `{"event":"x","timestamp":"` + testTS + `","data":{"a":"}`, "", "", false},
	{"number at the end", `{"event":"x","timestamp":"` + testTS + `","data":1`, "", "", false},
}

func TestDecodeEnvelope(t *testing.T) {
	for _, tt := range envelopeCases {
		t.Run(tt.name, func(t *testing.T) {
			var ev Event
			err := decodeEnvelope(&ev, []byte(tt.body))
			if !tt.ok {
				if !errors.Is(err, ErrInvalidPayload) {
					t.Fatalf("decodeEnvelope = %v, want ErrInvalidPayload", err)
				}
				return
			}
			if err != nil || string(ev.Type) != tt.event || string(ev.Data) != tt.data || !ev.Timestamp.Equal(testNow) {
				t.Fatalf("decodeEnvelope = %q %v data %q, %v; want %q data %q", ev.Type, ev.Timestamp, ev.Data, err, tt.event, tt.data)
			}
		})
	}
}

// FuzzDecodeEnvelope checks the hand-written decoder against encoding/json
// decoding into a map, which reads a top level as JSON.parse does (the last
// duplicate key wins, keys match exactly). Wherever encoding/json reads an
// object, both must agree on the event, the timestamp and the raw data.
// Where encoding/json refuses the body, the decoder may still accept it only
// because it does not validate the values it skips (documented).
func FuzzDecodeEnvelope(f *testing.F) {
	for _, tt := range envelopeCases {
		f.Add([]byte(tt.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var ev Event
		err := decodeEnvelope(&ev, body)
		if err != nil && !errors.Is(err, ErrInvalidPayload) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) != nil || m == nil {
			return
		}
		var event, ts string
		var at time.Time
		wantOK := json.Unmarshal(m["event"], &event) == nil && event != "" &&
			json.Unmarshal(m["timestamp"], &ts) == nil && at.UnmarshalText([]byte(ts)) == nil
		if (err == nil) != wantOK {
			t.Fatalf("decodeEnvelope = %v, encoding/json reads event %q timestamp %q", err, m["event"], m["timestamp"])
		}
		if err != nil {
			return
		}
		if string(ev.Type) != event || !ev.Timestamp.Equal(at) || !bytes.Equal(ev.Data, m["data"]) {
			t.Fatalf("decodeEnvelope read %q %v data %q; encoding/json %q %v data %q", ev.Type, ev.Timestamp, ev.Data, event, at, m["data"])
		}
		if !utf8.ValidString(string(ev.Type)) {
			t.Fatalf("event %q is not valid UTF-8", ev.Type)
		}
	})
}

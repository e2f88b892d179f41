package glossiwebhook

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParse_valid(t *testing.T) {
	v := newTestVerifier(t)
	body := seedBody()
	ev, err := v.Parse(body, Sign(body, testSecret))
	if err != nil {
		t.Fatal(err)
	}
	var sig [32]byte
	_ = decodeSignature(&sig, Sign(body, testSecret))
	switch {
	case ev.Type != EventModelProcessed:
		t.Errorf("Type = %q", ev.Type)
	case !ev.Timestamp.Equal(testNow):
		t.Errorf("Timestamp = %v", ev.Timestamp)
	case !bytes.Equal(ev.Raw, body):
		t.Errorf("Raw = %q", ev.Raw)
	case ev.sig != sig:
		t.Errorf("sig = %x", ev.sig)
	case !strings.HasPrefix(string(ev.Data), `{"modelId":"model-uuid"`):
		t.Errorf("Data = %s", ev.Data)
	}
}

func TestParse_unknownEventIsNotAnError(t *testing.T) {
	v := newTestVerifier(t)
	body := deliveryBody("model.deleted", testTS, `{"modelId":"m"}`)
	ev, err := v.Parse(body, Sign(body, testSecret))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "model.deleted" || ev.Type.Known() {
		t.Fatalf("Type = %q, Known = %v", ev.Type, ev.Type.Known())
	}
	if string(ev.Data) != `{"modelId":"m"}` {
		t.Fatalf("Data = %s", ev.Data)
	}
}

func TestParse_invalidPayload(t *testing.T) {
	v := newTestVerifier(t)
	tests := []struct {
		name string
		body string
	}{
		{"empty", ""},
		{"whitespace", "  \n"},
		{"array", `["model.processed"]`},
		{"string", `"model.processed"`},
		{"number", `42`},
		{"null", `null`},
		{"true", `true`},
		{"truncated object", `{"event":"model.processed","timestamp":"` + testTS + `"`},
		{"trailing garbage", string(deliveryBody("job.failed", testTS, `{}`)) + "x"},
		{"two objects", string(deliveryBody("job.failed", testTS, `{}`)) + string(deliveryBody("job.failed", testTS, `{}`))},
		{"empty object", `{}`},
		{"missing event", `{"timestamp":"` + testTS + `","data":{}}`},
		{"empty event", `{"event":"","timestamp":"` + testTS + `","data":{}}`},
		{"null event", `{"event":null,"timestamp":"` + testTS + `","data":{}}`},
		{"numeric event", `{"event":1,"timestamp":"` + testTS + `","data":{}}`},
		{"missing timestamp", `{"event":"job.failed","data":{}}`},
		{"null timestamp", `{"event":"job.failed","timestamp":null,"data":{}}`},
		{"numeric timestamp", `{"event":"job.failed","timestamp":1736937000,"data":{}}`},
		{"timestamp without zone", `{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000","data":{}}`},
		{"timestamp with space", `{"event":"job.failed","timestamp":"2025-01-15 10:30:00Z","data":{}}`},
		{"timestamp date only", `{"event":"job.failed","timestamp":"2025-01-15","data":{}}`},
		{"timestamp garbage", `{"event":"job.failed","timestamp":"yesterday","data":{}}`},
		{"invalid utf8 json", "{\"event\":\"job.failed\",\"timestamp\":\"" + testTS + "\",\"data\":{}\xff}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			ev, err := v.Parse(body, Sign(body, testSecret))
			if !errors.Is(err, ErrInvalidPayload) || ev != nil {
				t.Fatalf("Parse = %v, %v; want ErrInvalidPayload", ev, err)
			}
			assertNoLeak(t, "error", err.Error(), body, testSecret)
			// Unsigned, the same body is refused for its signature first.
			if _, err := v.Parse(body, Sign(body, "wrong")); !errors.Is(err, ErrSignatureMismatch) {
				t.Fatalf("unsigned: %v, want ErrSignatureMismatch", err)
			}
		})
	}
}

func TestParse_optionalData(t *testing.T) {
	v := newTestVerifier(t)
	body := []byte(`{"event":"job.failed","timestamp":"` + testTS + `"}`)
	ev, err := v.Parse(body, Sign(body, testSecret))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Data != nil {
		t.Fatalf("Data = %q, want nil", ev.Data)
	}
	if _, err := DataAs[JobFailed](ev); !errors.Is(err, ErrInvalidPayload) {
		t.Fatalf("DataAs = %v", err)
	}
}

func TestParse_timestampWindow(t *testing.T) {
	tests := []struct {
		name    string
		opts    []Option
		ts      time.Time
		wantErr bool
		wantMsg string
	}{
		{name: "now", ts: testNow},
		{name: "exactly 1h old", ts: testNow.Add(-time.Hour)},
		{name: "1h and 1ms old", ts: testNow.Add(-time.Hour - time.Millisecond), wantErr: true, wantMsg: "1h0m0.001s in the past, tolerance 1h0m0s"},
		{name: "a day old", ts: testNow.Add(-24 * time.Hour), wantErr: true, wantMsg: "24h0m0s in the past"},
		{name: "last retry 36m old", ts: testNow.Add(-36 * time.Minute)},
		{name: "exactly 5m ahead", ts: testNow.Add(5 * time.Minute)},
		{name: "5m and 1ms ahead", ts: testNow.Add(5*time.Minute + time.Millisecond), wantErr: true, wantMsg: "5m0.001s in the future, tolerance 5m0s"},
		{name: "year 2100", ts: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), wantErr: true, wantMsg: "in the future"},
		{name: "custom past ok", opts: []Option{WithTolerance(2*time.Hour, 0)}, ts: testNow.Add(-90 * time.Minute)},
		{name: "custom future zero", opts: []Option{WithTolerance(2*time.Hour, 0)}, ts: testNow.Add(time.Millisecond), wantErr: true},
		{name: "zero window exact", opts: []Option{WithTolerance(0, 0)}, ts: testNow},
		{name: "offset zone", ts: testNow.In(time.FixedZone("CET", 3600))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, tt.opts...)
			body := deliveryBody("job.failed", tt.ts.Format(time.RFC3339Nano), `{}`)
			ev, err := v.Parse(body, Sign(body, testSecret))
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Parse = %v", err)
				}
				if !ev.Timestamp.Equal(tt.ts) {
					t.Fatalf("Timestamp = %v, want %v", ev.Timestamp, tt.ts)
				}
				return
			}
			if !errors.Is(err, ErrTimestampOutOfRange) {
				t.Fatalf("Parse = %v, want ErrTimestampOutOfRange", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tt.wantMsg)
			}
			assertNoLeak(t, "error", err.Error(), body, testSecret)
		})
	}
}

func TestParse_timestampCheckedAfterSignature(t *testing.T) {
	v := newTestVerifier(t)
	stale := deliveryBody("job.failed", "2001-01-01T00:00:00Z", `{}`)
	if _, err := v.Parse(stale, Sign(stale, "forger")); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("Parse = %v, want ErrSignatureMismatch", err)
	}
}

func TestParse_bodyTooLarge(t *testing.T) {
	v := newTestVerifier(t, WithMaxBodyBytes(64))
	body := deliveryBody("job.failed", testTS, `{"error":"`+strings.Repeat("x", 64)+`"}`)
	if _, err := v.Parse(body, Sign(body, testSecret)); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("Parse = %v, want ErrBodyTooLarge", err)
	}
	// Verify checks only the signature, whatever the size.
	if err := v.Verify(body, Sign(body, testSecret)); err != nil {
		t.Fatalf("Verify = %v", err)
	}
}

// failingBody fails the test if it is read.
type failingBody struct{ t *testing.T }

func (b failingBody) Read([]byte) (int, error) {
	b.t.Error("body was read")
	return 0, io.EOF
}
func (failingBody) Close() error { return nil }

type errBody struct{}

func (errBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
func (errBody) Close() error             { return nil }

func TestParseRequest(t *testing.T) {
	body := seedBody()
	sig := Sign(body, testSecret)
	v := newTestVerifier(t, WithMaxBodyBytes(int64(len(body))))

	t.Run("valid, body readable again", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header.Set(SignatureHeader, sig)
		ev, err := v.ParseRequest(r)
		if err != nil || ev.Type != EventModelProcessed {
			t.Fatalf("ParseRequest = %v, %v", ev, err)
		}
		again, err := io.ReadAll(r.Body)
		if err != nil || !bytes.Equal(again, body) {
			t.Fatalf("body read again = %q, %v", again, err)
		}
		if err := r.Body.Close(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("header name is case-insensitive", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		r.Header["x-glossi-signature"] = nil
		r.Header.Set("x-glossi-signature", sig)
		if _, err := v.ParseRequest(r); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("missing header, body not read", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = failingBody{t}
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrMissingSignature) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
	t.Run("empty header", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = failingBody{t}
		r.Header.Set(SignatureHeader, "  ")
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrMissingSignature) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
	t.Run("two headers", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = failingBody{t}
		r.Header.Add(SignatureHeader, sig)
		r.Header.Add(SignatureHeader, sig)
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrMalformedSignature) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
	t.Run("content-length too large, body not read", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = failingBody{t}
		r.ContentLength = int64(len(body)) + 1
		r.Header.Set(SignatureHeader, sig)
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
	t.Run("chunked too large, body still whole", func(t *testing.T) {
		big := append(append([]byte{}, body...), "0123456789"...)
		r := httptest.NewRequest(http.MethodPost, "/hook", io.NopCloser(bytes.NewReader(big)))
		r.ContentLength = -1
		r.Header.Set(SignatureHeader, Sign(big, testSecret))
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("ParseRequest = %v", err)
		}
		again, _ := io.ReadAll(r.Body)
		if !bytes.Equal(again, big) {
			t.Fatalf("body after refusal = %q", again)
		}
	})
	t.Run("MaxBytesReader upstream", func(t *testing.T) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = http.MaxBytesReader(w, io.NopCloser(bytes.NewReader(body)), 10)
		r.ContentLength = -1
		r.Header.Set(SignatureHeader, sig)
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
	t.Run("read error", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Body = errBody{}
		r.ContentLength = -1
		r.Header.Set(SignatureHeader, sig)
		_, err := v.ParseRequest(r)
		if err == nil || !strings.Contains(err.Error(), "connection reset") {
			t.Fatalf("ParseRequest = %v", err)
		}
		if HTTPStatus(err) != http.StatusBadRequest {
			t.Fatalf("HTTPStatus = %d", HTTPStatus(err))
		}
	})
	t.Run("no body", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hook", nil)
		r.Header.Set(SignatureHeader, Sign(nil, testSecret))
		if _, err := v.ParseRequest(r); !errors.Is(err, ErrInvalidPayload) {
			t.Fatalf("ParseRequest = %v", err)
		}
	})
}

package glossiwebhook

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testSecret = "whsec_test_0123456789abcdef"
	testTS     = "2025-01-15T10:30:00.000Z"
)

var testNow = time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// deliveryBody returns a compact delivery body for event with data (raw JSON)
// and the given timestamp.
func deliveryBody(event, ts, data string) []byte {
	return []byte(fmt.Sprintf(`{"event":%q,"timestamp":%q,"data":%s}`, event, ts, data))
}

func seedBody() []byte {
	return deliveryBody("model.processed", testTS,
		`{"modelId":"model-uuid","name":"Chair Model","status":"READY","glbFilePath":"https://s3.../file.glb","thumbnailUrl":"https://s3.../file.jpg"}`)
}

func newTestVerifier(t testing.TB, opts ...Option) *Verifier {
	t.Helper()
	v, err := NewVerifier(testSecret, append([]Option{WithClock(fixedClock)}, opts...)...)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

// serveDelivery serves h a POST of body signed with the test secret and
// returns the answer.
func serveDelivery(h http.Handler, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set(SignatureHeader, Sign(body, testSecret))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// captureSlog sends what slog's default logger logs to the buffer it
// returns, until the test ends.
func captureSlog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &logs
}

// assertNoLeak fails if s contains a secret or the signature expected for
// body under any of the secrets.
func assertNoLeak(t testing.TB, what, s string, body []byte, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("%s leaks a secret: %q", what, s)
		}
		want := Sign(body, sec)
		if strings.Contains(strings.ToLower(s), want) {
			t.Errorf("%s leaks the expected signature: %q", what, s)
		}
	}
}

// decodeTyped decodes ev's data into the typed payload of its type with
// DataAs, and returns a pointer to it.
func decodeTyped(ev *Event) (any, error) { return decodeAs(ev, ev.Type) }

// decodeAs decodes ev's data with DataAs into the typed payload of as.
func decodeAs(ev *Event, as EventType) (any, error) {
	switch as {
	case EventModelProcessed:
		return ptr(DataAs[ModelProcessed](ev))
	case EventModelFailed:
		return ptr(DataAs[ModelFailed](ev))
	case EventProjectCreated:
		return ptr(DataAs[ProjectCreated](ev))
	case EventJobComplete:
		return ptr(DataAs[JobComplete](ev))
	case EventJobFailed:
		return ptr(DataAs[JobFailed](ev))
	case EventRenderComplete:
		return ptr(DataAs[RenderComplete](ev))
	case EventRenderFailed:
		return ptr(DataAs[RenderFailed](ev))
	}
	return ev.Data, nil
}

func ptr[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return &v, nil
}

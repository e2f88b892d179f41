package glossiwebhook

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A body of unknown length (chunked, as a proxy may send it) larger than the first buffer is
// read whole: the buffer grows until the end of the body.
func TestParseRequest_unknownLengthLargerThanTheFirstBuffer(t *testing.T) {
	body := deliveryBody("job.failed", testTS, `{"jobId":"j","error":"`+strings.Repeat("x", 4096)+`"}`)
	r := httptest.NewRequest(http.MethodPost, "/hook", io.NopCloser(bytes.NewReader(body)))
	r.ContentLength = -1
	r.Header.Set(SignatureHeader, Sign(body, testSecret))
	type parsed struct {
		ev  *Event
		err error
	}
	v := newTestVerifier(t)
	done := make(chan parsed, 1)
	go func() {
		ev, err := v.ParseRequest(r)
		done <- parsed{ev, err}
	}()
	select {
	case p := <-done:
		if p.err != nil {
			t.Fatalf("ParseRequest: %v", p.err)
		}
		if !bytes.Contains(body, p.ev.Data) || len(p.ev.Data) < 4096 {
			t.Errorf("data of %d bytes, want the whole data of the %d-byte body", len(p.ev.Data), len(body))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ParseRequest did not return within 10 s: the read loop makes no progress once the first buffer is full")
	}
}

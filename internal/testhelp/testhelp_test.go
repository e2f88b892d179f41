package testhelp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

func TestSyncBuffer_concurrentWrites(t *testing.T) {
	var buf testhelp.SyncBuffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { fmt.Fprintf(&buf, "line %d\n", i) })
	}
	wg.Wait()
	if got := len(buf.String()); got != 8*len("line 0\n") {
		t.Errorf("buffer holds %d bytes, want %d", got, 8*len("line 0\n"))
	}
}

// PostSigned's delivery verifies with the secret it was signed with, and only with it.
func TestPostSigned_verifies(t *testing.T) {
	const secret = "whsec_testhelp"
	body := []byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ok := glossiwebhook.Sign(b, secret) == r.Header.Get(glossiwebhook.SignatureHeader)
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
		}
		fmt.Fprintf(w, " verified=%t \n", ok)
	}))
	defer srv.Close()
	if code, text := testhelp.PostSigned(t, srv.URL, body, secret); code != http.StatusOK || text != "verified=true" {
		t.Errorf("signed with the secret: %d %q, want 200 \"verified=true\"", code, text)
	}
	if code, _ := testhelp.PostSigned(t, srv.URL, body, "whsec_other"); code != http.StatusUnauthorized {
		t.Errorf("signed with another secret: %d, want 401", code)
	}
}

// A request the server cuts off gets no status and an error.
func TestSendSigned_noAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer srv.Close()
	if code, text, err := testhelp.SendSigned(http.DefaultClient, srv.URL, []byte(`{}`), "whsec_testhelp"); code != 0 || text != "" || err == nil {
		t.Errorf("SendSigned = %d %q %v, want 0, nothing and an error", code, text, err)
	}
}

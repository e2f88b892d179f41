// Package testhelp holds helpers that the tests of several packages need: a buffer a program
// under test writes to while the test reads it, and a signed POST of a delivery. It is imported
// by tests only.
package testhelp

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// SyncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// PostSigned POSTs body to url with a signature made with secret, as Glossi delivers it, and
// returns the answer's status and its body without surrounding space. A failure to send fails
// the test.
func PostSigned(t testing.TB, url string, body []byte, secret string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

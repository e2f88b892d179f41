// Package testhelp holds helpers that the tests of several packages need: a buffer a program
// under test writes to while the test reads it, a signed POST of a delivery, receiver replicas
// (replicas.go), the age CLI (agecli.go) and the replicas' benchmark (bench.go). It is imported
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
	code, text, err := SendSigned(http.DefaultClient, url, body, secret)
	if err != nil {
		t.Fatal(err)
	}
	return code, text
}

// SendSigned POSTs body to url through client with a signature made with secret, as Glossi
// delivers it, and returns the answer's status and its body without surrounding space. The
// error is that of a request that got no answer (status 0: the server cut the connection, the
// client's timeout ran out) or whose body could not be read.
func SendSigned(client *http.Client, url string, body []byte, secret string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(body, secret))
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), err
}

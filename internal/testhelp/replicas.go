package testhelp

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// Replica is a receiver replica that StartReplicas started.
type Replica struct {
	URL    string
	secret string
}

// StartReplicas starts n receiver replicas, each an HTTP server closed when the test ends, with
// its own Verifier of secret, its Middleware, and Deduplicate(d, h, opts...) over the Deduper d
// and the handler h that replica(i) returns for replica i.
func StartReplicas(t testing.TB, n int, secret string, replica func(i int) (glossiwebhook.Deduper, http.Handler), opts ...glossiwebhook.DedupOption) []Replica {
	t.Helper()
	replicas := make([]Replica, n)
	for i := range replicas {
		v, err := glossiwebhook.NewVerifier(secret)
		if err != nil {
			t.Fatal(err)
		}
		d, h := replica(i)
		srv := httptest.NewServer(v.Middleware(glossiwebhook.Deduplicate(d, h, opts...)))
		t.Cleanup(srv.Close)
		replicas[i] = Replica{URL: srv.URL, secret: secret}
	}
	return replicas
}

// Send posts body to r signed with the replicas' secret and returns the answer's status and
// body (PostSigned).
func (r Replica) Send(t testing.TB, body []byte) (int, string) {
	t.Helper()
	return PostSigned(t, r.URL, body, r.secret)
}

// Delivery returns the body of a job.failed delivery timestamped now and unique to the test:
// its jobId is the test's name.
func Delivery(t testing.TB) []byte {
	return fmt.Appendf(nil, `{"event":"job.failed","timestamp":%q,"data":{"jobId":%q,"status":"FAILED","error":"boom"}}`,
		time.Now().UTC().Format(time.RFC3339Nano), t.Name())
}

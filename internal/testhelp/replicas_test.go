package testhelp_test

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// Replicas given one Deduper handle a delivery once, whichever gets it: each verifies with the
// replicas' secret, which Send signs with, and deduplicates with the Deduper it was given.
func TestStartReplicas_sharedDeduperHandlesOnce(t *testing.T) {
	d := glossiwebhook.NewMemoryDeduper(0)
	var runs atomic.Int32
	replicas := testhelp.StartReplicas(t, 2, "whsec_testhelp_replicas", func(int) (glossiwebhook.Deduper, http.Handler) {
		return d, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			runs.Add(1)
			_, _ = io.WriteString(w, "handled")
		})
	})
	body := testhelp.Delivery(t)
	first, text1 := replicas[0].Send(t, body)
	copied, text2 := replicas[1].Send(t, body)
	if first != http.StatusOK || text1 != "handled" || copied != http.StatusOK || text2 != "duplicate delivery ignored" || runs.Load() != 1 {
		t.Errorf("replica 0: %d %q, the copy to replica 1: %d %q, %d handler runs; want 200 handled, 200 duplicate delivery ignored, one run",
			first, text1, copied, text2, runs.Load())
	}
}

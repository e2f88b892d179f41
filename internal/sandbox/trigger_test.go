package sandbox_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// "data": null in a trigger is no data: the delivery carries the event's sample data, as when
// data is left out, rather than being refused as data that is not an object.
func TestTriggerEndpoint_nullDataMeansTheSample(t *testing.T) {
	rc := newReceiver(t)
	e, _ := deliveryEnv(t, rc.srv.URL, sandbox.Options{})
	r := e.do(http.MethodPost, sandbox.TriggerPath, key, `{"event":"job.failed","data":null,"wait":"all"}`)
	mustStatus(t, r, http.StatusOK)
	got := rc.received()
	if len(got) != 1 {
		t.Fatalf("the receiver got %d deliveries, want 1", len(got))
	}
	var delivered struct {
		Data struct {
			JobID string `json:"jobId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got[0].body, &delivered); err != nil || delivered.Data.JobID == "" {
		t.Errorf("delivered %s (%v), want the sample data of job.failed", got[0].body, err)
	}
}

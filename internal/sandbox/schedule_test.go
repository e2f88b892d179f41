package sandbox_test

import (
	"slices"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// A time scale of 0 or less means no scaling: the documented schedule of 1, 5 and 30 minutes.
func TestRetryDelays_scaleZeroOrLessIsTheDocumentedSchedule(t *testing.T) {
	want := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}
	for _, scale := range []float64{1, 0, -60} {
		if got := sandbox.RetryDelays(scale); !slices.Equal(got, want) {
			t.Errorf("RetryDelays(%v) = %v, want %v", scale, got, want)
		}
	}
}

//go:build !unix

package glossiwebhook

import "time"

// cpuTime is not measured here: BenchmarkReceiver reports no cpu-ns/op.
func cpuTime() (time.Duration, bool) { return 0, false }

package sandbox

import "time"

// The delivery schedule of the Glossi documentation, declared here only:
// a first attempt, then one retry after each of retryDelays, each attempt
// timing out after DefaultDeliveryTimeout. Everything else (help texts
// included) derives from these.
var retryDelays = [...]time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}

const (
	// MaxAttempts is the number of attempts of a delivery: the first one and
	// a retry after each delay of RetryDelays.
	MaxAttempts = len(retryDelays) + 1

	// DefaultDeliveryTimeout is how long one delivery attempt may take, as
	// the Glossi documentation says, before Options.DeliveryTimeScale.
	DefaultDeliveryTimeout = 30 * time.Second

	// MinScaledDeliveryTimeout is the shortest timeout DeliveryTimeScale
	// produces, so that a loaded machine does not time out a loopback
	// receiver. Options.DeliveryTimeout sets a shorter one explicitly.
	MinScaledDeliveryTimeout = time.Second
)

// deliveryTimeout returns the timeout of one attempt.
func deliveryTimeout(o Options) time.Duration {
	if o.DeliveryTimeout > 0 {
		return o.DeliveryTimeout
	}
	t := scaled(DefaultDeliveryTimeout, o.DeliveryTimeScale)
	if t < MinScaledDeliveryTimeout {
		t = MinScaledDeliveryTimeout
	}
	return t
}

// scaled divides d by scale; a scale of 0 (or less) means 1.
func scaled(d time.Duration, scale float64) time.Duration {
	if scale <= 0 {
		return d
	}
	return time.Duration(float64(d) / scale)
}

// RetryDelays returns the delays before the retries of a delivery under the
// time scale (see Options.DeliveryTimeScale); 1 gives the documented
// schedule.
func RetryDelays(timeScale float64) []time.Duration {
	out := make([]time.Duration, len(retryDelays))
	for i, d := range retryDelays {
		out[i] = scaled(d, timeScale)
	}
	return out
}

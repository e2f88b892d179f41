package main

import (
	"strings"
	"testing"
	"time"
)

// The retry delays and the delivery timeout in the help are the sandbox's own.
func TestHelpText_durationsAreTheSandboxSchedule(t *testing.T) {
	clearEnv(t)
	for cmd, want := range map[string]string{
		"serve": "divide the retry delays (1m, 5m, 30m) and the 30s timeout by N (60: 1s, 5s, 30s)",
		"send":  "[--timeout 30s]",
	} {
		if out := runCmd(t, "", cmd, "--help").stdout; !strings.Contains(out, want) {
			t.Errorf("%s --help lacks %q:\n%s", cmd, want, out)
		}
	}
}

func TestShortDuration_dropsZeroUnits(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute:                "1m",
		30 * time.Second:           "30s",
		90 * time.Second:           "1m30s",
		2 * time.Hour:              "2h",
		time.Hour + 30*time.Minute: "1h30m",
		1500 * time.Millisecond:    "1.5s",
		time.Hour + 30*time.Second: "1h0m30s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

func TestNewFlagSet_helpPrintsTheUsageOnceOnStdout(t *testing.T) {
	clearEnv(t)
	for cmd := range commands {
		r := runCmd(t, "", cmd, "--help")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: glossi-sandbox "+cmd) || !strings.Contains(r.stdout, "Flags:") || r.stderr != "" {
			t.Errorf("%s --help: %+v", cmd, r)
		}
		if n := strings.Count(r.stdout, "Usage:"); n != 1 {
			t.Errorf("%s --help prints its usage %d times, want once:\n%s", cmd, n, r.stdout)
		}
	}
}

func TestParseArgs_unknownFlagIsAUsageError(t *testing.T) {
	clearEnv(t)
	for cmd := range commands {
		r := runCmd(t, "", cmd, "--no-such-flag")
		if r.code != exitUsage {
			t.Errorf("%s --no-such-flag: code %d", cmd, r.code)
		}
		r.oneErrorLine(t, "flag provided but not defined")
	}
}

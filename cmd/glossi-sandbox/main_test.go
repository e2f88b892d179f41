package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The harness of every test of the command: run it in process, as main does, and read its
// exit status and output.

// clearEnv makes the tests independent of the caller's environment.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{envBaseURL, envAPIKey, envSecret} {
		t.Setenv(k, "")
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// oneErrorLine checks that stderr is one line holding want.
func (r result) oneErrorLine(t *testing.T, want string) {
	t.Helper()
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want one line containing %q", r.stderr, want)
	}
}

func TestRun_missingOrUnknownCommandIsAUsageError(t *testing.T) {
	clearEnv(t)
	if r := runCmd(t, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no args: %+v", r)
	}
	r := runCmd(t, "", "frobnicate")
	if r.code != exitUsage {
		t.Errorf("unknown command: code %d", r.code)
	}
	r.oneErrorLine(t, `unknown command "frobnicate"`)
}

func TestRun_helpListsTheCommands(t *testing.T) {
	clearEnv(t)
	if r := runCmd(t, "", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "glossi-sandbox serve") {
		t.Errorf("--help: %+v", r)
	}
}

func TestUsage_listsEveryEventWithin80Columns(t *testing.T) {
	clearEnv(t)
	help := runCmd(t, "", "--help").stdout
	for _, ev := range sandbox.EventTypes() {
		if !strings.Contains(help, ev) {
			t.Errorf("--help does not list event %s:\n%s", ev, help)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > 80 {
			t.Errorf("--help line over 80 columns: %q", line)
		}
	}
}

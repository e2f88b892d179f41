package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // The command ran but did not succeed: refused, not delivered, not verified.
	exitUsage   = 2 // Bad flags or arguments.
)

// usageError prints err as a usage error and returns exitUsage (or exitOK
// after --help).
func usageError(stderr io.Writer, cmd string, err error) int {
	if errors.Is(err, errHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "glossi-sandbox %s: %v (see glossi-sandbox %s --help)\n", cmd, oneLine(err.Error()), cmd)
	return exitUsage
}

// fail prints a one-line error and returns exitFailure.
func fail(stderr io.Writer, cmd string, format string, args ...any) int {
	fmt.Fprintf(stderr, "glossi-sandbox %s: %s\n", cmd, oneLine(fmt.Sprintf(format, args...)))
	return exitFailure
}

// oneLine folds s onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to n bytes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// netError strips the method and URL that *url.Error repeats.
func netError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
		return ue.Err
	}
	return err
}

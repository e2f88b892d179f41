package main

import (
	"strings"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The pieces of help text that derive the retry schedule and the delivery timeout from the
// sandbox's declarations, so that they cannot drift from them, and wrap, which lays out the
// help of glossi-sandbox itself (usage, in main.go).

// timeScaleHelp is the help of serve's --time-scale flag.
func timeScaleHelp() string {
	return "divide the retry delays (" + durations(sandbox.RetryDelays(1)) + ") and the " +
		shortDuration(sandbox.DefaultDeliveryTimeout) + " timeout by `N` (60: " + durations(sandbox.RetryDelays(60)) + ")"
}

// durations lists ds as "1m, 5m, 30m".
func durations(ds []time.Duration) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = shortDuration(d)
	}
	return strings.Join(names, ", ")
}

// shortDuration writes d without zero units: 1m, not 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// wrap writes prefix then text's words in lines of at most 80 columns where
// it can, the following lines starting with indent; a bracketed option is
// one word.
func wrap(prefix, text, indent string) string {
	const width = 80
	b := strings.Builder{}
	b.WriteString(prefix)
	col := len(prefix)
	for i, word := range words(text) {
		switch {
		case i > 0 && col+1+len(word) > width:
			b.WriteString("\n" + indent)
			col = len(indent)
		case i > 0:
			b.WriteString(" ")
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String() + "\n"
}

// words splits text at spaces outside brackets.
func words(text string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range text + " " {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case r == ' ' && depth == 0:
			if i > start {
				out = append(out, text[start:i])
			}
			start = i + 1
		}
	}
	return out
}

package main

import (
	"strings"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The help texts derive the events, the retry schedule and the delivery
// timeout from the sandbox's declarations, so they cannot drift from them.

// usage is the help of glossi-sandbox itself: each command's synopsis line.
func usage() string {
	var b strings.Builder
	b.WriteString("glossi-sandbox: a local Glossi webhooks API and delivery tools, offline.\n\nUsage:\n")
	for _, synopsis := range []string{serveSynopsis, triggerSynopsis, sendSynopsis(), verifySynopsis} {
		line, _, _ := strings.Cut(synopsis, "\n")
		b.WriteString(wrap("  glossi-sandbox ", line, "      "))
	}
	b.WriteString("\n" + wrap("Events: ", strings.Join(sandbox.EventTypes(), ", ")+".", ""))
	b.WriteString(`
Environment: GLOSSI_BASE_URL and GLOSSI_API_KEY (trigger), GLOSSI_WEBHOOK_SECRET
(send, verify; preferred to --secret, which shows in the shell history).

Run "glossi-sandbox COMMAND --help" for the flags of a command.
`)
	return b.String()
}

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

package main

import (
	"fmt"
	"io"
)

// exitInterrupted is the exit status of a command stopped by Ctrl-C (or SIGTERM) while it
// waited: 128 + SIGINT, as a shell reports it and as make demo exits.
const exitInterrupted = 130

// interrupted says that cmd was interrupted, nothing more (the request it was making did not
// fail), and returns exitInterrupted.
func interrupted(stderr io.Writer, cmd string) int {
	fmt.Fprintf(stderr, "glossi-sandbox %s: interrupted\n", cmd)
	return exitInterrupted
}

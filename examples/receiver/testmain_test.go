package main

import (
	"os"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
)

// runMainEnv makes the test binary run the receiver's main instead of the
// tests: the tests that kill a receiver with SIGKILL start it as a process
// of its own this way, without building it.
const runMainEnv = "RECEIVER_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	pgtest.Main(m)
}

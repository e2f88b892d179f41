package main

import "testing"

// Text that is not JSON is not called "not a JSON object": the message says where it breaks.
func TestReadData_saysWhereTextStopsBeingJSON(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "{bad", "send", "job.failed", "--url", "http://127.0.0.1:1/", "--secret", "s", "--data", "-")
	r.oneErrorLine(t, "--data: standard input is not JSON: invalid character 'b' looking for beginning of object key string at byte 2")
	r = runCmd(t, "{bad", "trigger", "job.failed", "--api-key", "k", "--data", "-")
	r.oneErrorLine(t, "--data: standard input is not JSON")
}

func TestReadData_missingFileFailsTheCommand(t *testing.T) {
	clearEnv(t)
	r := runCmd(t, "", "trigger", "job.failed", "--api-key", "k", "--data", "/no/such/file")
	if r.code != exitFailure {
		t.Errorf("code %d, want %d (%s)", r.code, exitFailure, r.stderr)
	}
	r.oneErrorLine(t, "--data: open /no/such/file")
}

package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// send and verify refuse what is not a secret before sending or verifying anything, with
// glossiwebhook's message as it is (the provider and the example receiver show it too), naming
// where the secret came from.
func TestSecretFrom_refusesWhatIsNotASecretNamingItsSource(t *testing.T) {
	clearEnv(t)
	var posts atomic.Int32
	rc := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { posts.Add(1) }))
	t.Cleanup(rc.Close)
	for _, tc := range []struct{ name, flag, env, source string }{
		{"none", "", "", "no secret (set $" + envSecret + " or pass --secret)"},
		{"quoted", `"whsec_send_quoted"`, "", "--secret"},
		{"placeholder", "", "<sensitive>", "$" + envSecret},
		{"trailing newline", "whsec_send_newline\n", "", "--secret"},
		{"trailing newline in the environment", "", "whsec_send_newline\n", "$" + envSecret},
	} {
		want := glossiwebhook.CheckSecret(tc.flag + tc.env)
		if want == nil {
			t.Fatalf("%s: CheckSecret accepts it", tc.name)
		}
		t.Setenv(envSecret, tc.env)
		args := []string{"send", "job.failed", "--url", rc.URL}
		if tc.flag != "" {
			args = append(args, "--secret", tc.flag)
		}
		r := runCmd(t, "", args...)
		if r.code != exitUsage {
			t.Errorf("%s: code %d, want %d", tc.name, r.code, exitUsage)
		}
		r.oneErrorLine(t, "glossi-sandbox send: "+tc.source+": "+want.Error())
		verifyArgs := append([]string{"verify", "--signature", strings.Repeat("0", glossiwebhook.SignatureLength)}, args[4:]...)
		v := runCmd(t, `{"event":"job.failed"}`, verifyArgs...)
		if v.code != exitUsage {
			t.Errorf("%s: verify's code %d, want %d", tc.name, v.code, exitUsage)
		}
		v.oneErrorLine(t, "glossi-sandbox verify: "+tc.source+": "+want.Error())
		if value := strings.TrimSpace(tc.flag + tc.env); value != "" && strings.Contains(r.stdout+r.stderr+v.stdout+v.stderr, value) {
			t.Errorf("%s: send or verify printed the secret", tc.name)
		}
	}
	if n := posts.Load(); n != 0 {
		t.Errorf("the receiver got %d deliveries signed with what is not a secret", n)
	}
}

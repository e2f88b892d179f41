package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/redistest"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// Two receivers started with --redis on one Redis handle a delivery once,
// whichever of them gets it; with Redis stopped they answer 503.
func TestRun_redisSharedByTwoReceivers(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"GLOSSI_WEBHOOK_SECRET": secret}
	a := startReceiver(t, []string{"--redis", srv.Addr}, env)
	b := startReceiver(t, []string{"--redis", srv.Addr}, env)
	a.waitLog(t, "deduplicating on Redis at "+srv.Addr)
	body := []byte(`{"event":"job.failed","timestamp":"` + time.Now().UTC().Format(time.RFC3339Nano) + `","data":{"jobId":"j-redis"}}`)

	first, text1 := a.post(t, body)
	retry, text2 := b.post(t, body)
	if first != http.StatusOK || text1 != "OK" || retry != http.StatusOK || text2 != "duplicate delivery ignored" {
		t.Errorf("receiver a: %d %q (want 200 OK); the same delivery to receiver b: %d %q (want 200 duplicate delivery ignored)", first, text1, retry, text2)
	}
	if strings.Contains(b.logs.String(), "verified job.failed") {
		t.Errorf("receiver b handled the delivery receiver a had handled:\n%s", b.logs.String())
	}

	srv.Stop()
	body = bytes.Replace(body, []byte("j-redis"), []byte("j-redis-down"), 1)
	if code, text := b.post(t, body); code != http.StatusServiceUnavailable {
		t.Errorf("Redis stopped: %d %q, want 503", code, text)
	}
}

// post sends body signed with the test secret and returns the answer.
func (r receiver) post(t *testing.T, body []byte) (int, string) {
	t.Helper()
	return testhelp.PostSigned(t, r.url, body, secret)
}

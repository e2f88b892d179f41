package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func TestPutFault_answerAfterAppliesFirst(t *testing.T) {
	e := newEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	first := e.put(key, validPut).json(t)
	e.sb.InjectPutFault(sandbox.PutFault{Count: 1, AnswerAfter: time.Minute})

	// The client gives up once the PUT is applied, while its answer is held back: whatever the
	// machine's load, never before the sandbox got the request, nor after the answer.
	ctx, giveUp := context.WithCancel(context.Background())
	defer giveUp()
	answered := make(chan error, 1)
	go func() {
		_, err := e.doCtx(ctx, http.MethodPut, sandbox.WebhooksPath, key, validPut)
		answered <- err
	}()
	waitUntil(t, 30*time.Second, "the PUT answered late was not applied: the secret did not rotate", func() bool {
		w, _ := e.sb.Webhook(key)
		return w.Secret != first["secret"]
	})
	giveUp()
	if err := <-answered; !errors.Is(err, context.Canceled) {
		t.Fatalf("want the client to give up waiting, got %v", err)
	}
	if second := e.put(key, validPut); second.status != http.StatusOK {
		t.Errorf("the fault outlived its Count: status %d", second.status)
	}
}

func TestPutFault_omitSecret(t *testing.T) {
	for name, existing := range map[string]bool{"create": false, "update": true} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			if existing {
				e.put(key, validPut)
			}
			e.sb.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
			if _, has := e.put(key, validPut).json(t)["secret"]; has {
				t.Error("the answer has a secret")
			}
			if w, _ := e.sb.Webhook(key); w.Secret == "" {
				t.Error("the webhook has no secret stored")
			}
			if _, has := e.put(key, validPut).json(t)["secret"]; !has {
				t.Error("the fault outlived its Count")
			}
		})
	}
}

func TestPutFault_clearFaults(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.InjectPutFault(sandbox.PutFault{OmitSecret: true})
	e.sb.ClearFaults()
	if _, has := e.put(key, validPut).json(t)["secret"]; !has {
		t.Error("ClearFaults left a PutFault queued")
	}
}

func TestPutFault_answerStatusAfterApplying(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.InjectPutFault(sandbox.PutFault{Count: 1, AnswerStatus: http.StatusBadGateway})
	r := e.put(key, validPut)
	mustStatus(t, r, http.StatusBadGateway)
	if msg := r.errorMessage(t); msg != "Bad Gateway" {
		t.Errorf("error = %q, want Bad Gateway", msg)
	}
	if _, ok := e.sb.Webhook(key); !ok {
		t.Error("the PUT answered 502 was not applied")
	}
}

// A PUT held until later lands after a PUT that arrived after it.
func TestPutFault_applyWhenLandsLast(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	release, held := make(chan struct{}), make(chan struct{})
	e.sb.InjectPutFault(sandbox.PutFault{Count: 1, ApplyWhen: release, OnHold: func() { close(held) }})
	late := make(chan reply)
	go func() {
		r, _ := e.doCtx(context.Background(), http.MethodPut, sandbox.WebhooksPath, key, `{"url":"https://late.example/h","events":["job.failed"]}`)
		late <- r
	}()
	<-held
	mustStatus(t, e.put(key, validPut), http.StatusOK)
	close(release)
	mustStatus(t, <-late, http.StatusOK)
	if w, _ := e.sb.Webhook(key); w.URL != "https://late.example/h" {
		t.Errorf("url = %q, want the late PUT's", w.URL)
	}
}

func TestStrayNotFound_shapes(t *testing.T) {
	tests := map[sandbox.StrayNotFound]string{
		sandbox.StrayNotFoundRouter:    "404 page not found\n",
		sandbox.StrayNotFoundBareJSON:  `{"error":"Not found"}`,
		sandbox.StrayNotFoundGateway:   `{"message":"no Route matched with those values"}`,
		sandbox.StrayNotFoundFramework: `{"statusCode":404,"message":"Cannot GET /api/webhooks","error":"Not Found"}`,
	}
	for kind, want := range tests {
		t.Run(string(kind), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{StrayNotFound: kind})
			e.put(key, validPut)
			r := e.do(http.MethodGet, "/api/webhooks", key, "")
			mustStatus(t, r, http.StatusNotFound)
			if got := strings.TrimSpace(string(r.body)); got != strings.TrimSpace(want) {
				t.Errorf("body = %s, want %s", got, want)
			}
		})
	}
}

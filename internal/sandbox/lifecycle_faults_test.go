package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func TestPutFault_answerAfterAppliesFirst(t *testing.T) {
	e := newEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	first := e.put(key, validPut).json(t)
	e.sb.InjectPutFault(sandbox.PutFault{Count: 1, AnswerAfter: time.Second})

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.doCtx(ctx, http.MethodPut, sandbox.WebhooksPath, key, validPut)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the client to give up waiting, got %v", err)
	}
	w, _ := e.sb.Webhook(key)
	if w.Secret == first["secret"] {
		t.Error("the PUT answered late was not applied: the secret did not rotate")
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

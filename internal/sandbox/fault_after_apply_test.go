package sandbox_test

import (
	"net/http"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// A fault with AfterApply lets the request change the webhook and only replaces its answer; a
// fault without it changes nothing.
func TestFault_afterApply(t *testing.T) {
	for name, afterApply := range map[string]bool{"applied": true, "not applied": false} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			e.put(key, validPut)
			e.sb.InjectFault(sandbox.Fault{Method: http.MethodDelete, Status: http.StatusBadGateway, Count: 1, AfterApply: afterApply})
			if r := e.del(key); r.status != http.StatusBadGateway {
				t.Fatalf("status %d, want the fault's 502", r.status)
			}
			if _, exists := e.sb.Webhook(key); exists == afterApply {
				t.Errorf("the webhook exists = %t after a faulted DELETE with AfterApply = %t", exists, afterApply)
			}
		})
	}
}

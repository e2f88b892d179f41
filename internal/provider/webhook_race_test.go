package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// Another configuration writes the webhook right after this create's PUT: the read-back catches
// it, the create fails naming both, and the other writer's webhook is neither recorded nor
// deleted.
func TestWebhookResource_createLosesRaceIsError(t *testing.T) {
	t.Parallel()
	var env *testEnv
	raced := false
	env = newTestEnv(t, sandbox.Options{AfterPut: func(key string) {
		if raced {
			return
		}
		raced = true
		env.sandbox.UpdateWebhook(key, func(w *sandbox.Webhook) { w.URL = "https://other-writer.example.com/hook" })
	}})
	resource.UnitTest(t, testCaseKeeping(resource.TestStep{
		Config:      env.config(basicWebhook),
		ExpectError: expectWords(`Another Writer Changed the Glossi Webhook`, `did not record the webhook`),
	}))
	if w, ok := env.sandbox.Webhook(testAPIKey); !ok || w.URL != "https://other-writer.example.com/hook" {
		t.Errorf("the other writer's webhook must survive; the account has %+v (present %t)", w, ok)
	}
}

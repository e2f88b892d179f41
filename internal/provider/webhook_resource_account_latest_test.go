//go:build terraformlatest

package provider

import (
	"fmt"
	"testing"
)

// The identity form of TestWebhookResource_importIntoAnotherAccountRefused (Terraform 1.12+).
func TestWebhookResource_importIdentityIntoAnotherAccountRefused(t *testing.T) {
	t.Parallel()
	out := planImportFromBrandIntoStaging(t, func(brandID string) string {
		return fmt.Sprintf("import {\n  to       = glossi_webhook.staging\n  identity = { account = \"brand\", id = %q }\n}\n", brandID)
	})
	expectOutput(t, out, `an identity whose account is "staging"`)
}

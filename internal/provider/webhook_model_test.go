package provider

import (
	"context"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

func TestNewWebhookResourceModel_secret(t *testing.T) {
	answer := func(secret string) *glossi.Webhook {
		return &glossi.Webhook{ID: "id-1", URL: "https://a.example.com", Events: []string{"job.complete"}, Enabled: true, Secret: secret}
	}
	cases := []struct {
		name   string
		answer *glossi.Webhook
		prior  types.String
		want   types.String
	}{
		{"answer has a secret", answer("new"), types.StringValue("old"), types.StringValue("new")},
		{"answer has none: keep the stored one", answer(""), types.StringValue("old"), types.StringValue("old")},
		{"answer has none, nothing stored", answer(""), types.StringNull(), types.StringNull()},
		{"answer has none, planned unknown", answer(""), types.StringUnknown(), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got := newWebhookResourceModel(context.Background(), tc.answer, webhookResourceModel{Secret: tc.prior}, &diags)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !got.Secret.Equal(tc.want) {
				t.Errorf("secret: got %s, want %s", redacted(got.Secret), redacted(tc.want))
			}
		})
	}
}

// redacted describes a secret value without showing it: these are test values, but the habit matters.
func redacted(v types.String) string {
	switch {
	case v.IsNull():
		return "null"
	case v.IsUnknown():
		return "unknown"
	}
	return "a value of length " + strconv.Itoa(len(v.ValueString()))
}

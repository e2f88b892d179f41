package provider

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
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

func TestStoreSecret(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	stored := func(secret string, version int64) webhookResourceModel {
		return webhookResourceModel{Secret: types.StringValue(secret), SecretVersion: types.Int64Value(version)}
	}
	cases := []struct {
		name                 string
		prior                webhookResourceModel
		answer               string
		wantSecret           types.String
		wantVersion          types.Int64
		wantPrevious, wantAt types.String
	}{
		{"first secret", webhookResourceModel{}, "s1", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
		{"no secret yet, none returned", webhookResourceModel{}, "", types.StringNull(), types.Int64Null(), types.StringNull(), types.StringNull()},
		{"same secret returned", stored("s1", 1), "s1", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
		{"none returned: unchanged", stored("s1", 3), "", types.StringValue("s1"), types.Int64Value(3), types.StringNull(), types.StringNull()},
		{"rotated", stored("s1", 3), "s2", types.StringValue("s2"), types.Int64Value(4), types.StringValue("s1"), types.StringValue("2026-01-02T03:04:05Z")},
		{"state from before secret_version", webhookResourceModel{Secret: types.StringValue("s1")}, "", types.StringValue("s1"), types.Int64Value(1), types.StringNull(), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.prior
			if err := m.storeSecret(tc.answer, now); err != nil {
				t.Fatal(err)
			}
			if !m.Secret.Equal(tc.wantSecret) || !m.PreviousSecret.Equal(tc.wantPrevious) {
				t.Errorf("secret %s, previous %s; want %s, %s", redacted(m.Secret), redacted(m.PreviousSecret), redacted(tc.wantSecret), redacted(tc.wantPrevious))
			}
			if !m.SecretVersion.Equal(tc.wantVersion) || !m.SecretRotatedAt.Equal(tc.wantAt) {
				t.Errorf("version %s, rotated at %s; want %s, %s", m.SecretVersion, m.SecretRotatedAt, tc.wantVersion, tc.wantAt)
			}
			wantFingerprint := types.StringNull()
			if !tc.wantSecret.IsNull() {
				wantFingerprint = types.StringValue(glossiwebhook.Fingerprint(tc.wantSecret.ValueString()))
			}
			if !m.SecretFingerprint.Equal(wantFingerprint) {
				t.Errorf("fingerprint %s, want %s", m.SecretFingerprint, wantFingerprint)
			}
		})
	}
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// maskedLogger sends the API client's log entries to tflog. The client already masks the key
// and secrets it knows about; masking the key here as well covers anything that slips through.
func maskedLogger(apiKey string) glossi.LogFunc {
	return func(ctx context.Context, msg string, fields map[string]any) {
		ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "secret", "api_key", "X-API-Key")
		if apiKey != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, apiKey)
			ctx = tflog.MaskMessageStrings(ctx, apiKey)
		}
		tflog.Debug(ctx, msg, fields)
	}
}

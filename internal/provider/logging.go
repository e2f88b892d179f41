package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// maskedLogger sends the API client's log entries to tflog. The client already masks the keys
// and secrets it knows about; masking every configured key here as well covers anything that
// slips through.
func maskedLogger(keys []string) glossi.LogFunc {
	return func(ctx context.Context, msg string, fields map[string]any) {
		tflog.Debug(maskValues(ctx, keys), msg, fields)
	}
}

// maskValues is ctx with the fields named like a secret and every one of values masked in the
// log lines written through it.
func maskValues(ctx context.Context, values []string) context.Context {
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "secret", "api_key", "X-API-Key")
	if len(values) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, values...)
		ctx = tflog.MaskMessageStrings(ctx, values...)
	}
	return ctx
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// clientLog sends the API client's log entries to tflog as they are. It masks nothing itself:
// each client already masks every configured key (newAccounts), and every client call runs on a
// ctx from accounts.masked, which masks them again in every line written through it.
func clientLog(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
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

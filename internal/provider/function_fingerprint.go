package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

var _ function.Function = (*fingerprintFunction)(nil)

// fingerprintFunction is provider::glossi::fingerprint(secret).
type fingerprintFunction struct{}

// NewFingerprintFunction returns the fingerprint function.
func NewFingerprintFunction() function.Function {
	return &fingerprintFunction{}
}

func (f *fingerprintFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "fingerprint"
}

func (f *fingerprintFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Identifies a webhook secret without revealing it",
		MarkdownDescription: "Returns the first 16 lowercase hex characters of the SHA-256 of `secret`: the same value " +
			"as the `glossi_webhook` resource's `secret_fingerprint`, so a secret held elsewhere (a receiver's " +
			"configuration, a secret store) can be compared with the one in state without showing either. Like " +
			"any function's result, it is sensitive when `secret` is: wrap it in `nonsensitive()` to show it, " +
			"which is safe because a fingerprint does not reveal the secret.",
		Parameters: []function.Parameter{secretParameter()},
		Return:     function.StringReturn{},
	}
}

func (f *fingerprintFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var secret types.String
	resp.Error = req.Arguments.Get(ctx, &secret)
	if resp.Error != nil {
		return
	}
	if resp.Error = checkSecretArgument(secret, 0); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, glossiwebhook.Fingerprint(secret.ValueString()))
}

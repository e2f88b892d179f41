package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

var _ function.Function = (*signFunction)(nil)

// signFunction is provider::glossi::sign(body, secret).
type signFunction struct{}

// NewSignFunction returns the sign function.
func NewSignFunction() function.Function {
	return &signFunction{}
}

func (f *signFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "sign"
}

func (f *signFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The X-Glossi-Signature value Glossi sends for a body",
		MarkdownDescription: "Returns the `" + glossiwebhook.SignatureHeader + "` value Glossi sends with `body`: the " +
			"lowercase hex HMAC-SHA256 of the exact bytes of `body` (UTF-8), keyed with `secret`. Use it to build " +
			"signed test deliveries; the result is as sensitive as the secret.",
		Parameters: []function.Parameter{
			bodyParameter(),
			secretParameter(),
		},
		Return: function.StringReturn{},
	}
}

func (f *signFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var body string
	var secret types.String
	resp.Error = req.Arguments.Get(ctx, &body, &secret)
	if resp.Error != nil {
		return
	}
	if resp.Error = checkSecretArgument(secret, 1); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, glossiwebhook.Sign([]byte(body), secret.ValueString()))
}

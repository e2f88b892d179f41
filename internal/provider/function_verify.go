package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

var _ function.Function = (*verifyFunction)(nil)

// verifyFunction is provider::glossi::verify(body, signature, secret).
type verifyFunction struct{}

// NewVerifyFunction returns the verify function.
func NewVerifyFunction() function.Function {
	return &verifyFunction{}
}

func (f *verifyFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "verify"
}

func (f *verifyFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a signature is Glossi's signature of a body",
		MarkdownDescription: "Returns `true` when `signature` is the `" + glossiwebhook.SignatureHeader + "` value of `body` " +
			"under `secret`, and `false` otherwise, with the rules of the `glossiwebhook` Go package: 64 hex characters " +
			"in either case, surrounding whitespace ignored, no `sha256=` prefix. A wrong, empty or malformed " +
			"signature gives `false`, never an error; only a `secret` that cannot be a webhook secret is an error.",
		Parameters: []function.Parameter{
			bodyParameter(),
			function.StringParameter{
				Name:                "signature",
				MarkdownDescription: "The signature to check, as sent in the `" + glossiwebhook.SignatureHeader + "` header.",
			},
			secretParameter(),
		},
		Return: function.BoolReturn{},
	}
}

func (f *verifyFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var body, signature string
	var secret types.String
	resp.Error = req.Arguments.Get(ctx, &body, &signature, &secret)
	if resp.Error != nil {
		return
	}
	if resp.Error = checkSecretArgument(secret, 2); resp.Error != nil {
		return
	}
	verifier, err := glossiwebhook.NewVerifier(secret.ValueString())
	if err != nil { // checked above
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, verifier.Verify([]byte(body), signature) == nil)
}

package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// The parameters the provider functions share.

func bodyParameter() function.StringParameter {
	return function.StringParameter{
		Name:                "body",
		MarkdownDescription: "The delivery's raw body, exactly as sent: signatures cover these bytes, so re-encoding the JSON changes them.",
	}
}

// secretParameter accepts null so that a null secret (an imported webhook has none) gets the
// message of an empty one rather than Terraform's generic null-argument error.
func secretParameter() function.StringParameter {
	return function.StringParameter{
		Name:           "secret",
		AllowNullValue: true,
		MarkdownDescription: "The webhook's signing secret, such as `glossi_webhook.main.secret`. It must pass the " +
			"`glossiwebhook` package's `CheckSecret`, like every secret the provider and the example receiver " +
			"take: not empty or null, no whitespace or control character anywhere (a trailing newline from " +
			"`file()` included: use `chomp(file(...))`), and not `<sensitive>` or a value in double quotes, " +
			"which `terraform output` prints without `-raw`.",
	}
}

// checkSecretArgument applies glossiwebhook's secret rule to the secret argument at position
// (zero-based). The error never shows the secret.
func checkSecretArgument(secret types.String, position int64) *function.FuncError {
	if secret.IsNull() || secret.ValueString() == "" {
		return emptySecretFuncError(position)
	}
	if err := glossiwebhook.CheckSecret(secret.ValueString()); err != nil {
		return function.NewArgumentFuncError(position, err.Error()+": pass the webhook's secret, such as "+
			"glossi_webhook.main.secret")
	}
	return nil
}

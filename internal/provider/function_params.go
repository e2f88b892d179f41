package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
// (zero-based), with the message glossi_webhook_probe gives too (secretProblem). A null secret is
// checked as empty.
func checkSecretArgument(secret types.String, position int64) *function.FuncError {
	if problem := secretProblem(secret); problem != "" {
		return function.NewArgumentFuncError(position, problem)
	}
	return nil
}

package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/function"
)

// The parameters the provider functions share.

func bodyParameter() function.StringParameter {
	return function.StringParameter{
		Name:                "body",
		MarkdownDescription: "The delivery's raw body, exactly as sent: signatures cover these bytes, so re-encoding the JSON changes them.",
	}
}

func secretParameter() function.StringParameter {
	return function.StringParameter{
		Name:                "secret",
		MarkdownDescription: "The webhook's signing secret, such as `glossi_webhook.main.secret`. Must not be empty.",
	}
}

//go:build opentofu

package provider

// underOpenTofu: see cli_terraform_test.go.
const underOpenTofu = true

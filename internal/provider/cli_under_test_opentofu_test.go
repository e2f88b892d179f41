//go:build opentofu

package provider

const underOpenTofu = true

//go:build !opentofu

package provider

// underOpenTofu is true when the tests are built for OpenTofu (-tags opentofu, as
// `make testacc-opentofu` does).
const underOpenTofu = false

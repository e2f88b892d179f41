package provider

import (
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

// apiRootPath is the path of every Glossi API base URL.
const apiRootPath = "/api/v1"

// checkBaseURL refuses a base URL that would send the API key in clear text to another machine,
// unless allowInsecure, and warns about what is allowed but likely wrong. The diagnostics
// come from Configure, so they show on every plan and apply that uses the provider.
func checkBaseURL(diags *diag.Diagnostics, baseURL string, allowInsecure bool) {
	if baseURL == "" {
		baseURL = glossi.DefaultBaseURL
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return // glossi.NewClient reports it with the full reason.
	}
	if strings.EqualFold(u.Scheme, "http") && !isLoopback(u.Hostname()) {
		if !allowInsecure {
			addInsecureBaseURLError(diags, u.Redacted())
			return
		}
		addInsecureBaseURLWarning(diags, u.Redacted())
	}
	warnUnusualBaseURLPath(diags, u)
}

// warnUnusualBaseURLPath warns when the base URL's path is not the API's root: every call would
// then fail, or be answered by something else. Configure's diagnostics do not show on destroy,
// so the resource repeats this one in the plan of a destroy.
func warnUnusualBaseURLPath(diags *diag.Diagnostics, u *url.URL) {
	if path := strings.TrimRight(u.Path, "/"); path != apiRootPath {
		addBaseURLPathWarning(diags, u.Redacted(), path)
	}
}

// isLoopback reports whether host names this machine: localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

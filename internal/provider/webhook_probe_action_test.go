package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/glossi/terraform-provider-glossi/internal/probe"
)

// Each way a receiver fails the probe action is one error naming it, with the URL's token
// redacted; a receiver that passes gives none.
func TestAddProbeFailure(t *testing.T) {
	t.Parallel()
	const url, token = "https://hooks.example.com/glossi?token=tok-51c9e2", "tok-51c9e2"
	for _, tc := range []struct {
		name   string
		result probe.Result
		want   []string
	}{
		{"passes", probe.Result{SignedStatus: 200, ForgedStatus: 401}, nil},
		{"unreachable", probe.Result{Err: errors.New("the signed delivery got no answer: connection refused")},
			[]string{"Glossi Webhook Receiver Unreachable"}},
		{"wrong secret", probe.Result{SignedStatus: 401, ForgedStatus: 401},
			[]string{"Glossi Webhook Receiver Did Not Accept the Signed Probe"}},
		{"accepts anything", probe.Result{SignedStatus: 200, ForgedStatus: 200},
			[]string{"Glossi Webhook Receiver Accepted a Forged Probe"}},
		{"fails and accepts forgeries", probe.Result{SignedStatus: 500, ForgedStatus: 500},
			[]string{"Glossi Webhook Receiver Did Not Accept the Signed Probe", "Glossi Webhook Receiver Accepted a Forged Probe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addProbeFailure(&diags, url, tc.result)
			var got []string
			for _, d := range diags.Errors() {
				got = append(got, d.Summary())
				if strings.Contains(d.Detail(), token) || !strings.Contains(d.Detail(), "https://hooks.example.com/glossi") {
					t.Errorf("%s: the detail must name the URL without its token: %s", d.Summary(), d.Detail())
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("errors %q, want %q", got, tc.want)
			}
		})
	}
}

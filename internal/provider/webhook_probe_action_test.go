package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// probeActionConfig is a config of the glossi_webhook_probe action; a nil value is null, and
// unknown stands for a value Terraform does not know yet.
func probeActionConfig(t *testing.T, url, secret, timeout tftypes.Value) tfsdk.Config {
	t.Helper()
	var resp action.SchemaResponse
	NewWebhookProbeAction().Schema(context.Background(), action.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	raw := tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), map[string]tftypes.Value{
		"url": url, "secret": secret, "timeout": timeout,
	})
	return tfsdk.Config{Schema: resp.Schema, Raw: raw}
}

func newProbeAction(t *testing.T) *webhookProbeAction {
	t.Helper()
	a, ok := NewWebhookProbeAction().(*webhookProbeAction)
	if !ok {
		t.Fatal("NewWebhookProbeAction does not return a *webhookProbeAction")
	}
	return a
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var (
	tfNull    = tftypes.NewValue(tftypes.String, nil)
	tfUnknown = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
)

// Terraform validates an action's config only while the values from variables and other
// resources are unknown, so those reach the plan and Invoke unchecked. Both apply the schema's
// validators, with their words, and Invoke refuses before it sends anything.
func TestWebhookProbeAction_checksValuesTheValidatorsNeverSaw(t *testing.T) {
	t.Parallel()
	receiver := acceptingReceiver(t)
	const secret = "whsec_probe_action_inputs"
	for _, tc := range []struct {
		name                 string
		url, secret, timeout string
		attr                 string
		rule                 validator.String
	}{
		{"empty secret", receiver.URL, "", "", "secret", secretValidator{}},
		{"placeholder of a sensitive output", receiver.URL, "<sensitive>", "", "secret", secretValidator{}},
		{"secret read from a file with its newline", receiver.URL, secret + "\n", "", "secret", secretValidator{}},
		{"file URL", "file:///etc/passwd", secret, "", "url", urlValidator{}},
		{"ftp URL", "ftp://hooks.example.com/glossi", secret, "", "url", urlValidator{}},
		{"gopher URL", "gopher://hooks.example.com:70/1", secret, "", "url", urlValidator{}},
		{"timeout that is no duration", receiver.URL, secret, "soon", "timeout", durationValidator{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			timeout := tfNull
			if tc.timeout != "" {
				timeout = tfString(tc.timeout)
			}
			config := probeActionConfig(t, tfString(tc.url), tfString(tc.secret), timeout)
			var value types.String
			if d := config.GetAttribute(context.Background(), path.Root(tc.attr), &value); d.HasError() {
				t.Fatal(d)
			}
			var rule validator.StringResponse
			tc.rule.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(tc.attr), ConfigValue: value}, &rule)
			if rule.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("the %s validator does not refuse this value: %v", tc.attr, rule.Diagnostics)
			}

			probeAction := newProbeAction(t)
			var plan action.ModifyPlanResponse
			probeAction.ModifyPlan(context.Background(), action.ModifyPlanRequest{Config: config}, &plan)
			invoke := action.InvokeResponse{SendProgress: func(action.InvokeProgressEvent) {}}
			probeAction.Invoke(context.Background(), action.InvokeRequest{Config: config}, &invoke)
			for step, got := range map[string]diag.Diagnostics{"ModifyPlan": plan.Diagnostics, "Invoke": invoke.Diagnostics} {
				if !got.Equal(rule.Diagnostics) {
					t.Errorf("%s: the diagnostics are not the validator's", step)
				}
				if strings.Contains(fmt.Sprint(got), secret) {
					t.Errorf("%s: a diagnostic shows the secret", step)
				}
			}
		})
	}
	if n := receiver.deliveries.Load(); n != 0 {
		t.Errorf("the receiver got %d deliveries, want none: the inputs are refused before sending", n)
	}
}

// The plan lets through what it cannot know yet (a secret of a webhook being created); Invoke
// then probes with the known, valid values.
func TestWebhookProbeAction_unknownAtPlanProbedAtInvoke(t *testing.T) {
	t.Parallel()
	receiver := acceptingReceiver(t)
	probeAction := newProbeAction(t)

	var plan action.ModifyPlanResponse
	probeAction.ModifyPlan(context.Background(), action.ModifyPlanRequest{Config: probeActionConfig(t, tfString(receiver.URL), tfUnknown, tfNull)}, &plan)
	if plan.Diagnostics.HasError() {
		t.Errorf("ModifyPlan refuses an unknown secret: %v", plan.Diagnostics)
	}

	invoke := action.InvokeResponse{SendProgress: func(action.InvokeProgressEvent) {}}
	config := probeActionConfig(t, tfString(receiver.URL), tfString("whsec_known_at_apply"), tfString("5s"))
	probeAction.Invoke(context.Background(), action.InvokeRequest{Config: config}, &invoke)
	if n := receiver.deliveries.Load(); n != 2 {
		t.Errorf("Invoke sent %d deliveries, want the signed and the forged one", n)
	}
	if got := invoke.Diagnostics.Errors(); len(got) != 1 || got[0].Summary() != "Glossi Webhook Receiver Accepted a Forged Probe" {
		t.Errorf("against a receiver that accepts anything, Invoke reports %v", invoke.Diagnostics)
	}
}

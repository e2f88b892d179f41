package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

func TestDescriptionValue(t *testing.T) {
	t.Parallel()
	empty, text := "", "hello"
	cases := []struct {
		name  string
		api   *string
		prior types.String
		want  types.String
	}{
		{"api null, config null", nil, types.StringNull(), types.StringNull()},
		{"api empty, config null", &empty, types.StringNull(), types.StringNull()},
		{"api null, config empty", nil, types.StringValue(""), types.StringValue("")},
		{"api empty, config empty", &empty, types.StringValue(""), types.StringValue("")},
		{"api text", &text, types.StringNull(), types.StringValue("hello")},
		{"api cleared, config text", nil, types.StringValue("hello"), types.StringNull()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := descriptionValue(tc.api, tc.prior); !got.Equal(tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// Without a description or with description = "", whether the API answers "" or null: no diff
// after the create, in a plan without refresh (the create's answer in state against the
// configuration) or with one (the API's read). Each form is created anew: each apply after the
// first replaces the webhook (-replace, destroy then create, as a taint would). Through the CLI:
// an apply and two plans a form, where plugin-testing spends a dozen runs.
func TestWebhookResource_descriptionNoneNeverDiffs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, "")
	replace := false
	for _, asNull := range []bool{false, true} {
		for _, description := range []string{``, `description = ""`} {
			env.sandbox.SetOptions(func(o *sandbox.Options) { o.EmptyDescriptionAsNull = asNull })
			ws.writeConfig(t, env.config(fmt.Sprintf(`
resource "glossi_webhook" "test" {
  url    = "https://hooks.example.com/glossi"
  events = ["model.processed"]
  %s
}
`, description)))
			form := fmt.Sprintf("%q with the API answering none as null: %t", description, asNull)
			args := []string{"apply", "-auto-approve", "-no-color"}
			if replace {
				args = append(args, "-replace="+resourceName)
			}
			out := ws.run(t, args...)
			if replace && (!strings.Contains(out, `-/+ resource "glossi_webhook" "test"`) ||
				!strings.Contains(out, "Plan: 1 to add, 0 to change, 1 to destroy.")) {
				t.Errorf("the apply of %s does not destroy, then create, the webhook:\n%s", form, out)
			}
			replace = true
			for _, refresh := range []string{"-refresh=false", "-refresh=true"} {
				if out, err := ws.tryRun(t, "plan", "-detailed-exitcode", "-no-color", refresh); err != nil {
					t.Errorf("after the create of %s, the plan (%s) is not empty (%v):\n%s", form, refresh, err, out)
				}
			}
		}
	}
	ws.run(t, "destroy", "-auto-approve", "-no-color")
	if err := env.checkDestroyed(nil); err != nil {
		t.Error(err)
	}
}

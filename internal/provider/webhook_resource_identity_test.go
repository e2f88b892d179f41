package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importState runs the resource's ImportState on importID, as Terraform calls it, with accounts.
func importState(t *testing.T, a *accounts, importID string) resource.ImportStateResponse {
	t.Helper()
	ctx := t.Context()
	r := &webhookResource{accounts: a}
	var schema resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schema)
	resp := resource.ImportStateResponse{State: tfsdk.State{Schema: schema.Schema,
		Raw: tftypes.NewValue(schema.Schema.Type().TerraformType(ctx), nil)}}
	// The framework gives ImportState empty private state, of a type its internal package declares.
	private := reflect.ValueOf(&resp).Elem().FieldByName("Private")
	private.Set(reflect.New(private.Type().Elem()))
	r.ImportState(ctx, resource.ImportStateRequest{ID: importID}, &resp)
	return resp
}

// ImportState records in the lifecycle that an import was requested: it is what tells the Read
// that follows to check the id as an import's (readImported), whichever way the import came.
func TestWebhookResource_importStateRecordsTheRequest(t *testing.T) {
	t.Parallel()
	resp := importState(t, testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey}), "staging/wh-1")
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	got, diags := loadLifecycle(t.Context(), resp.Private, types.StringValue("wh-1"))
	if diags.HasError() || got != (webhookLifecycle{State: lifecycleImportRequested}) {
		t.Errorf("after ImportState the lifecycle is %+v, %v; want import requested", got, diags)
	}
}

// An import id whose account is not configured is refused by ImportState, before any request,
// with the import's wording and the nearest configured name; an id that names an account but no
// webhook keeps that account in its advice.
func TestWebhookResource_importStateRefusals(t *testing.T) {
	t.Parallel()
	a := testAccounts(t, map[string]string{"": testAPIKey, "staging": stagingKey})
	for importID, says := range map[string][]string{
		"stagng/wh-1": {"Unknown Glossi Account", `The import names the account "stagng"`, `Did you mean "staging"?`},
		"staging/":    {"Cannot Import Glossi Webhook", "terraform import glossi_webhook.<name> staging/<id>", `id = "staging/<id>"`},
		"":            {"Cannot Import Glossi Webhook", "terraform import glossi_webhook.<name> <id>\n"},
	} {
		resp := importState(t, a, importID)
		if !resp.Diagnostics.HasError() {
			t.Errorf("import id %q was accepted", importID)
			continue
		}
		got := resp.Diagnostics.Errors()[0]
		text := got.Summary() + "\n" + got.Detail()
		for _, want := range says {
			if !strings.Contains(text, want) {
				t.Errorf("import id %q: the error lacks %q:\n%s", importID, want, text)
			}
		}
	}
	if resp := importState(t, a, "staging/wh-1"); resp.Diagnostics.HasError() {
		t.Errorf("a configured account's import id was refused: %v", resp.Diagnostics)
	}
}

package provider

import (
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

// The harness of the tests that call the glossi_webhook resource's methods in process, as the
// framework calls them, with no terraform run: for what a run would cost without showing more of
// the provider (ImportState's answer, a Read, an Update or a Delete from a given lifecycle, a
// Create against a given API).

// setEmptyPrivate gives the framework request or response that target points to empty private
// state, as the framework does: its type is declared in the framework's internal package.
func setEmptyPrivate(target any) {
	private := reflect.ValueOf(target).Elem().FieldByName("Private")
	private.Set(reflect.New(private.Type().Elem()))
}

// resourceSchema is the glossi_webhook resource's schema.
func resourceSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	(&webhookResource{}).Schema(t.Context(), resource.SchemaRequest{}, &resp)
	return resp.Schema
}

// noState is the state of a resource not in state yet, as the framework gives it to ImportState
// and Create.
func noState(t *testing.T, s schema.Schema) tfsdk.State {
	t.Helper()
	return tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(t.Context()), nil)}
}

// importState runs the resource's ImportState on importID, as Terraform calls it, with accounts.
func importState(t *testing.T, a *accounts, importID string) resource.ImportStateResponse {
	t.Helper()
	s := resourceSchema(t)
	resp := resource.ImportStateResponse{State: noState(t, s)}
	setEmptyPrivate(&resp)
	(&webhookResource{accounts: a}).ImportState(t.Context(), resource.ImportStateRequest{ID: importID}, &resp)
	return resp
}

// lifecycleCallSecret is the secret of the webhook a lifecycleCall manages.
const lifecycleCallSecret = "whsec_lifecycle_call_5e0b1d"

// lifecycleCall is the resource of env's test account, whose webhook (webhook) it manages, called
// with a lifecycle in private state. Its client gives up on an answer after 300 ms, and retries
// once.
type lifecycleCall struct {
	env     *testEnv
	webhook sandbox.Webhook // the account's webhook when the call was set up: the one in state
	r       *webhookResource
	schema  schema.Schema
}

func newLifecycleCall(t *testing.T) *lifecycleCall {
	t.Helper()
	env := newTestEnv(t, sandbox.Options{})
	webhook := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://hooks.example.com/glossi",
		Events: []string{"model.processed"}, Enabled: true, Secret: lifecycleCallSecret})
	a, err := newAccounts(glossi.Config{BaseURL: env.baseURL, RequestTimeout: 300 * time.Millisecond, MaxRetries: 1,
		RetryWaitMin: 10 * time.Millisecond}, map[string]string{defaultAccount: testAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	return &lifecycleCall{env: env, webhook: webhook, r: &webhookResource{accounts: a}, schema: resourceSchema(t)}
}

// state is the state of c.webhook as Terraform keeps it: with its secret, or with none (after an
// import).
func (c *lifecycleCall) state(t *testing.T, withSecret bool) webhookResourceModel {
	t.Helper()
	answer := &glossi.Webhook{ID: c.webhook.ID, URL: c.webhook.URL, Events: c.webhook.Events, Enabled: c.webhook.Enabled}
	if withSecret {
		answer.Secret = c.webhook.Secret
	}
	var diags diag.Diagnostics
	state := newWebhookResourceModel(t.Context(), answer, webhookResourceModel{Account: types.StringNull(),
		Description: types.StringNull(), RotateSecretTriggers: types.MapNull(types.StringType),
		SecretRecipients: types.SetNull(types.StringType)}, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return state
}

// stringSet is a set of strings, as the model holds events and secret_recipients.
func stringSet(values ...string) types.Set {
	elements := make([]attr.Value, len(values))
	for i, v := range values {
		elements[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elements)
}

// renewing is state as a plan that stores a new secret leaves it: the secret's attributes unknown.
func renewing(state webhookResourceModel) webhookResourceModel {
	state.SecretVersion = types.Int64Unknown()
	for _, v := range []*types.String{&state.Secret, &state.SecretCiphertext, &state.SecretFingerprint,
		&state.PreviousSecret, &state.PreviousSecretCiphertext, &state.SecretRotatedAt} {
		*v = types.StringUnknown()
	}
	return state
}

// sent is the state a create that got no definite answer leaves (failUncertainCreate): what it
// sent to the API, c.webhook's settings, without an id or a secret.
func (c *lifecycleCall) sent(t *testing.T) webhookResourceModel {
	t.Helper()
	state := c.state(t, false)
	state.ID = types.StringNull()
	return state
}

// lifecycleCallResult is what a call left: the state, the private state and the lifecycle in it
// (absent when the call removed the resource), and the diagnostics.
type lifecycleCallResult struct {
	state      webhookResourceModel
	removed    bool
	private    privateGetter
	lifecycle  webhookLifecycle
	unreadable diag.Diagnostics // why the lifecycle in private does not load; expect fails on them
	diags      diag.Diagnostics
}

// read calls Read on state, with from in private state.
func (c *lifecycleCall) read(t *testing.T, from webhookLifecycle, state webhookResourceModel) lifecycleCallResult {
	t.Helper()
	req := resource.ReadRequest{State: c.tfState(t, state)}
	setEmptyPrivate(&req)
	c.save(t, req.Private, from)
	resp := resource.ReadResponse{State: req.State, Private: req.Private}
	c.r.Read(t.Context(), req, &resp)
	return c.result(t, resp.State, resp.Private, resp.Diagnostics)
}

// update calls Update from state to plan, with from in private state.
func (c *lifecycleCall) update(t *testing.T, from webhookLifecycle, plan, state webhookResourceModel) lifecycleCallResult {
	t.Helper()
	planned := c.tfState(t, plan)
	req := resource.UpdateRequest{Plan: tfsdk.Plan{Schema: c.schema, Raw: planned.Raw}, State: c.tfState(t, state)}
	setEmptyPrivate(&req)
	c.save(t, req.Private, from)
	resp := resource.UpdateResponse{State: planned, Private: req.Private}
	c.r.Update(t.Context(), req, &resp)
	return c.result(t, resp.State, resp.Private, resp.Diagnostics)
}

// create calls Create with plan, for a resource not in state yet.
func (c *lifecycleCall) create(t *testing.T, plan webhookResourceModel) lifecycleCallResult {
	t.Helper()
	planned := c.tfState(t, plan)
	req := resource.CreateRequest{Plan: tfsdk.Plan{Schema: c.schema, Raw: planned.Raw}}
	resp := resource.CreateResponse{State: noState(t, c.schema)}
	setEmptyPrivate(&resp)
	c.r.Create(t.Context(), req, &resp)
	return c.result(t, resp.State, resp.Private, resp.Diagnostics)
}

// delete calls Delete on state, with from in private state. The framework removes the resource
// from the state only when Delete reports no error; result says whether Delete removed it itself.
func (c *lifecycleCall) delete(t *testing.T, from webhookLifecycle, state webhookResourceModel) lifecycleCallResult {
	t.Helper()
	req := resource.DeleteRequest{State: c.tfState(t, state)}
	setEmptyPrivate(&req)
	c.save(t, req.Private, from)
	resp := resource.DeleteResponse{State: req.State, Private: req.Private}
	c.r.Delete(t.Context(), req, &resp)
	return c.result(t, resp.State, resp.Private, resp.Diagnostics)
}

func (c *lifecycleCall) tfState(t *testing.T, m webhookResourceModel) tfsdk.State {
	t.Helper()
	state := tfsdk.State{Schema: c.schema}
	if diags := state.Set(t.Context(), m); diags.HasError() {
		t.Fatal(diags)
	}
	return state
}

func (c *lifecycleCall) save(t *testing.T, private privateSetter, l webhookLifecycle) {
	t.Helper()
	if diags := saveLifecycle(t.Context(), private, l); diags.HasError() {
		t.Fatal(diags)
	}
}

func (c *lifecycleCall) result(t *testing.T, state tfsdk.State, private privateGetter, diags diag.Diagnostics) lifecycleCallResult {
	t.Helper()
	r := lifecycleCallResult{diags: diags, removed: state.Raw.IsNull(), private: private}
	if r.removed {
		r.lifecycle = newLifecycle() // private state goes with the resource
		return r
	}
	if d := state.Get(t.Context(), &r.state); d.HasError() {
		t.Fatal(d)
	}
	r.lifecycle, r.unreadable = loadLifecycle(t.Context(), private, r.state.ID)
	return r
}

// expect fails the test unless the call left the lifecycle want (absent: the resource left the
// state), and diagnostics with exactly summaries, in order.
func (r lifecycleCallResult) expect(t *testing.T, want webhookLifecycle, summaries ...string) {
	t.Helper()
	if r.unreadable.HasError() {
		t.Errorf("the private state the call left does not load: %v", r.unreadable)
	}
	if r.removed != (want.State == lifecycleAbsent) {
		t.Errorf("the call removed the resource from the state: %t, want %t", r.removed, want.State == lifecycleAbsent)
	}
	if r.lifecycle != want {
		t.Errorf("the lifecycle after the call is %+v, want %+v", r.lifecycle, want)
	}
	var got []string
	for _, d := range r.diags {
		got = append(got, d.Summary())
	}
	if !reflect.DeepEqual(got, summaries) && (len(got) > 0 || len(summaries) > 0) {
		t.Errorf("the call's diagnostics are %q, want %q: %v", got, summaries, r.diags)
	}
}

// modifyPlan calls ModifyPlan on an update from state to proposed, with from in private state, and
// returns the plan it leaves. proposed is the plan as the framework proposes it: the configuration,
// with every computed attribute that has no plan modifier unknown, as renewing leaves them.
func (c *lifecycleCall) modifyPlan(t *testing.T, from webhookLifecycle, proposed, state webhookResourceModel) (webhookResourceModel, diag.Diagnostics) {
	t.Helper()
	raw := c.tfState(t, proposed).Raw
	req := resource.ModifyPlanRequest{Config: tfsdk.Config{Schema: c.schema, Raw: raw}, Plan: tfsdk.Plan{Schema: c.schema, Raw: raw},
		State: c.tfState(t, state)}
	setEmptyPrivate(&req)
	c.save(t, req.Private, from)
	resp := resource.ModifyPlanResponse{Plan: req.Plan, Private: req.Private}
	c.r.ModifyPlan(t.Context(), req, &resp)
	var planned webhookResourceModel
	if d := resp.Plan.Get(t.Context(), &planned); d.HasError() {
		t.Fatal(d)
	}
	return planned, resp.Diagnostics
}

// sameModel reports whether a and b hold the same values, as Terraform compares them.
func (c *lifecycleCall) sameModel(t *testing.T, a, b webhookResourceModel) bool {
	t.Helper()
	return c.tfState(t, a).Raw.Equal(c.tfState(t, b).Raw)
}

// planAndUpdate plans the update from state to configured (modifyPlan, proposing configured with
// its computed attributes unknown when it differs from state) and applies that plan, as terraform
// apply does, failing the test where the apply stores another value than a known planned one
// (Terraform's "Provider produced inconsistent result after apply"). The result holds the plan's
// diagnostics, then the apply's.
func (c *lifecycleCall) planAndUpdate(t *testing.T, from webhookLifecycle, configured, state webhookResourceModel) (webhookResourceModel, lifecycleCallResult) {
	t.Helper()
	proposed := configured
	if !c.sameModel(t, configured, state) {
		proposed = renewing(configured)
	}
	planned, diags := c.modifyPlan(t, from, proposed, state)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got := c.update(t, from, planned, state)
	var p, a map[string]tftypes.Value
	if err := c.tfState(t, planned).Raw.As(&p); err != nil {
		t.Fatal(err)
	}
	if err := c.tfState(t, got.state).Raw.As(&a); err != nil {
		t.Fatal(err)
	}
	for name, v := range p {
		if v.IsFullyKnown() && !v.Equal(a[name]) {
			t.Errorf("%s: the apply stored another value than the planned one", name)
		}
	}
	got.diags = append(diags, got.diags...)
	return planned, got
}

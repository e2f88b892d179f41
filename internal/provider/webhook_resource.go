package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/internal/glossi"
)

var (
	_ resource.Resource                = (*webhookResource)(nil)
	_ resource.ResourceWithConfigure   = (*webhookResource)(nil)
	_ resource.ResourceWithImportState = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookResource)(nil)
)

type webhookResource struct {
	accounts *accounts
}

// NewWebhookResource returns the glossi_webhook resource.
func NewWebhookResource() resource.Resource {
	return &webhookResource{}
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
	resp.ResourceBehavior.MutableIdentity = true // a webhook replaced outside Terraform gets a new id
}

func (r *webhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The webhook of a Glossi account: where Glossi POSTs signed event notifications, " +
			"and which events it sends. An account (API key) has exactly one webhook. The signing `secret` is " +
			"returned by the API only when the webhook is created or updated; Terraform keeps it in state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The webhook's id, assigned by Glossi.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account": accountAttribute(),
			"url": schema.StringAttribute{
				MarkdownDescription: "The absolute http(s) URL Glossi POSTs deliveries to. " +
					"Plain `http://` is accepted with a warning: use HTTPS in production.",
				Required:   true,
				Validators: []validator.String{urlValidator{}},
			},
			"events": schema.SetAttribute{
				MarkdownDescription: "The events to deliver, at least one: " + markdownList(knownEvents) +
					". Order does not matter. A well-formed event this provider does not know yet is a warning, " +
					"not an error, as the API is in beta and may add events.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(eventNameValidator{}),
				},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether Glossi sends deliveries. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "A note for humans about the webhook.",
				Optional:            true,
			},
			"secret": schema.StringAttribute{
				MarkdownDescription: "The secret Glossi signs deliveries with (the `X-Glossi-Signature` header is " +
					"the hex HMAC-SHA256 of the body with this key). Returned only by create and update, and " +
					"kept in state across refreshes; it may change whenever the webhook is updated, and is null " +
					"after import until `rotate_secret_triggers` is set. Null when `secret_recipients` is set: the " +
					"secret is then only in `secret_ciphertext`.",
				Computed:  true,
				Sensitive: true,
			},
			"rotate_secret_triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values that, when changed, make the next apply update the webhook " +
					"and store the secret the API returns. Use it to get a secret after import, or to rotate it.",
				ElementType: types.StringType,
				Optional:    true,
			},
		},
	}
	maps.Copy(resp.Schema.Attributes, secretLifecycleAttributes())
	maps.Copy(resp.Schema.Attributes, secretEncryptionAttributes())
}

// IdentitySchema is the identity of a webhook: its account and id (webhook_resource_identity.go).
func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = webhookIdentitySchema()
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.accounts = accountsFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.accounts.masked(ctx)
	defer setIdentityOnSuccess(ctx, &resp.Diagnostics, resp.Identity, &resp.State, resp.State)
	var plan webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.accounts.clientFor(plan.Account, accountInConfig, &resp.Diagnostics)
	if client == nil || !accountHasNoWebhook(ctx, client, accountName(plan.Account), &resp.Diagnostics) {
		return
	}

	input, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := client.Put(ctx, input)
	switch {
	case glossi.IsUncertain(err):
		failUncertainCreate(ctx, resp, plan, err)
		return
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opCreate, accountName(plan.Account), err)
		return
	}

	checkNoOtherWriter(ctx, client, created, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return // not recorded: the webhook is the other writer's now
	}
	plan.clearSecret()
	model := newWebhookResourceModel(ctx, created, plan, &resp.Diagnostics)
	changes := answerChanges(ctx, model, plan)
	keepPlanned(&model, plan, changes)
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
	lifecycle := newLifecycle().after(createdStep(answerSecretStored(created, model)), "")
	if len(changes) > 0 {
		lifecycle = lifecycle.rememberAnswer(settingsOfAnswer(created)) // state holds the planned values
	}
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, lifecycle)...)
	warnCreateAnswer(&resp.Diagnostics, changes, created)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx = r.accounts.masked(ctx)
	defer setIdentityOnSuccess(ctx, &resp.Diagnostics, resp.Identity, &resp.State, req.State)
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lifecycle, diags := loadLifecycle(ctx, req.Private, state.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	origin := accountInState
	if lifecycle.State == lifecycleImportRequested {
		origin = accountInImport // the import id or identity named it
	}
	client := r.accounts.clientFor(state.Account, origin, &resp.Diagnostics)
	if client == nil {
		return
	}
	maskSecretsOf(client, state)

	switch lifecycle.State {
	case lifecycleCreateUnknown:
		readAfterUncertainCreate(ctx, client, resp, state, lifecycle)
	case lifecycleImportRequested:
		readImported(ctx, client, resp, state, lifecycle)
	default:
		refreshWebhook(ctx, client, resp, state, lifecycle)
	}
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = r.accounts.masked(ctx)
	defer setIdentityOnSuccess(ctx, &resp.Diagnostics, resp.Identity, &resp.State, req.State)
	var plan, state webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lifecycle, diags := loadLifecycle(ctx, req.Private, state.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.accounts.clientFor(state.Account, accountInState, &resp.Diagnostics)
	if client == nil {
		return
	}
	plan.carrySecretFrom(state)
	if !updateSendsPut(ctx, lifecycle, plan, state) {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return // nothing written: the lifecycle stays as it was
	}
	maskSecretsOf(client, state)
	input, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	updated, err := client.Put(ctx, input)
	switch {
	case glossi.IsUncertain(err):
		resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, lifecycle.after(stepUpdateUncertain, state.ID.ValueString()))...)
		addUncertainUpdateError(&resp.Diagnostics, err)
		return
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opUpdate, accountName(state.Account), err)
		return
	}

	if renewsSecret(lifecycle, plan, state) {
		plan.unsealWith(updated.Secret) // to be encrypted to this apply's recipients
	}
	model := newWebhookResourceModel(ctx, updated, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
	step := updatedStep(answerSecretStored(updated, model))
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, lifecycle.after(step, state.ID.ValueString()))...)
	reportUpdateAnswer(ctx, &resp.Diagnostics, updated, model, plan, state)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.accounts.masked(ctx)
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.accounts.clientFor(state.Account, accountInState, &resp.Diagnostics)
	if client == nil {
		return
	}
	maskSecretsOf(client, state)
	deleteIfStillOurs(ctx, client, accountName(state.Account), state.ID.ValueString(), &resp.Diagnostics)
}

// ModifyPlan adds what the lifecycle asks of the plan: an update that stores a new secret when
// the stored one may be stale or the recipients change, the secret's attributes as in state when
// an update sends no PUT, the secret's form, and warnings before a destroy.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.accounts.masked(ctx)
	client, ok := plannedAccountClient(ctx, r.accounts, req, &resp.Diagnostics)
	if !ok {
		return
	}
	var plan, state webhookResourceModel // empty on a destroy, and on a create
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		addPlanWarnings(ctx, req.Config, &resp.Diagnostics)
		planSecretForm(ctx, plan.SecretRecipients, state, resp)
		return
	}
	lifecycle, diags := loadLifecycle(ctx, req.Private, state.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		warnBeforeDestroy(client, state, lifecycle, &resp.Diagnostics)
		return
	}
	if !keepsImportedAccount(lifecycle, state, plan.Account, &resp.Diagnostics) {
		return
	}
	addPlanWarnings(ctx, req.Config, &resp.Diagnostics)
	planUpdatedSecret(ctx, lifecycle, plan, state, resp)
}

// ImportState takes "<account>/<id>", "<id>" or an identity block (importWebhook); the Read that
// follows checks the webhook.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importWebhook(r.accounts.masked(ctx), r.accounts, req, resp)
}

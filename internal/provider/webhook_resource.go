package provider

import (
	"context"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
)

type webhookResource struct {
	accounts *accounts
	client   *glossi.Client // the client of the account in plan or state; see useAccount
}

type webhookResourceModel struct {
	ID                   types.String `tfsdk:"id"`
	Account              types.String `tfsdk:"account"`
	URL                  types.String `tfsdk:"url"`
	Events               types.Set    `tfsdk:"events"`
	Enabled              types.Bool   `tfsdk:"enabled"`
	Description          types.String `tfsdk:"description"`
	Secret               types.String `tfsdk:"secret"`
	RotateSecretTriggers types.Map    `tfsdk:"rotate_secret_triggers"`
	SecretVersion        types.Int64  `tfsdk:"secret_version"`
	SecretFingerprint    types.String `tfsdk:"secret_fingerprint"`
	PreviousSecret       types.String `tfsdk:"previous_secret"`
	SecretRotatedAt      types.String `tfsdk:"secret_rotated_at"`

	SecretRecipients         types.Set    `tfsdk:"secret_recipients"`
	SecretCiphertext         types.String `tfsdk:"secret_ciphertext"`
	PreviousSecretCiphertext types.String `tfsdk:"previous_secret_ciphertext"`
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

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.accounts = accountsFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = r.accounts.masked(ctx)
	defer setIdentityOnSuccess(ctx, &resp.Diagnostics, resp.Identity, &resp.State, resp.State)
	var plan webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.useAccount(plan.Account, accountInConfig, &resp.Diagnostics) ||
		!r.accountHasNoWebhook(ctx, accountName(plan.Account), &resp.Diagnostics) {
		return
	}

	input, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.client.Put(ctx, input)
	switch {
	case glossi.IsUncertain(err):
		failUncertainCreate(ctx, resp, plan, err)
		return
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opCreate, accountName(plan.Account), err)
		return
	}

	r.checkNoOtherWriter(ctx, created, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return // not recorded: the webhook is the other writer's now
	}
	plan.clearSecret()
	model := newWebhookResourceModel(ctx, created, plan, &resp.Diagnostics)
	changes := answerChanges(ctx, model, plan)
	keepPlanned(&model, plan, changes)
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
	lifecycle := newLifecycle().after(createdStep(created), "")
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
	origin := accountInState
	if lifecycle.State == lifecycleImportRequested {
		origin = accountInImport
	}
	if resp.Diagnostics.HasError() || !r.useAccount(state.Account, origin, &resp.Diagnostics) {
		return
	}
	r.maskSecretsOf(state)

	switch lifecycle.State {
	case lifecycleCreateUnknown:
		r.readAfterUncertainCreate(ctx, resp, state, lifecycle)
	case lifecycleImportRequested:
		r.readImported(ctx, resp, state, lifecycle)
	default:
		r.refresh(ctx, resp, state, lifecycle)
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
	if resp.Diagnostics.HasError() || !r.useAccount(state.Account, accountInState, &resp.Diagnostics) {
		return
	}

	r.maskSecretsOf(state)
	input, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	updated, err := r.client.Put(ctx, input)
	switch {
	case glossi.IsUncertain(err):
		resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, lifecycle.after(stepUpdateUncertain, state.ID.ValueString()))...)
		addUncertainUpdateError(&resp.Diagnostics, err)
		return
	case err != nil:
		addWebhookAPIError(&resp.Diagnostics, opUpdate, accountName(state.Account), err)
		return
	}

	plan.carrySecretFrom(state)
	model := newWebhookResourceModel(ctx, updated, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
	resp.Diagnostics.Append(saveLifecycle(ctx, resp.Private, lifecycle.after(updatedStep(updated), state.ID.ValueString()))...)
	reportUpdateAnswer(ctx, &resp.Diagnostics, updated, model, plan, state)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = r.accounts.masked(ctx)
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.useAccount(state.Account, accountInState, &resp.Diagnostics) {
		return
	}
	r.maskSecretsOf(state)
	r.deleteIfStillOurs(ctx, accountName(state.Account), state.ID.ValueString(), &resp.Diagnostics)
}

// ModifyPlan adds what the lifecycle asks of the plan: an update that stores a new secret when
// the stored one may be stale or the recipients change, the secret's form, and warnings before a
// destroy.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	ctx = r.accounts.masked(ctx)
	if !r.checkPlannedAccount(ctx, req, &resp.Diagnostics) {
		return
	}
	if req.State.Raw.IsNull() {
		addPlanWarnings(ctx, req.Config, &resp.Diagnostics)
		planSecretForm(ctx, true, resp)
		return
	}
	var stateID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &stateID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lifecycle, diags := loadLifecycle(ctx, req.Private, stateID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.warnBeforeDestroy(ctx, req, resp, lifecycle)
		return
	}
	if !keepsImportedAccount(ctx, req, lifecycle, &resp.Diagnostics) {
		return
	}
	addPlanWarnings(ctx, req.Config, &resp.Diagnostics)
	recipients, stateHasSecret := plannedRecipientsChange(ctx, req.Plan, req.State)
	planSecretRenewal(ctx, lifecycle.planFor(), recipients, stateHasSecret, resp)
	planSecretForm(ctx, false, resp)
}

// newWebhookResourceModel is the state for webhook as the API returned it. What the API does not
// return comes from prior: the secret and its lifecycle when the answer has none, and
// rotate_secret_triggers.
func newWebhookResourceModel(ctx context.Context, webhook *glossi.Webhook, prior webhookResourceModel, diags *diag.Diagnostics) webhookResourceModel {
	events, d := types.SetValueFrom(ctx, types.StringType, webhook.Events)
	diags.Append(d...)
	model := webhookResourceModel{
		ID:                   types.StringValue(webhook.ID),
		Account:              prior.Account,
		URL:                  types.StringValue(webhook.URL),
		Events:               events,
		Enabled:              types.BoolValue(webhook.Enabled),
		Description:          descriptionValue(webhook.Description, prior.Description),
		RotateSecretTriggers: prior.RotateSecretTriggers,
		SecretRecipients:     prior.SecretRecipients,
	}
	model.carrySecretFrom(prior)
	if err := model.storeSecret(webhook.Secret, time.Now()); err != nil {
		addSecretNotEncryptedError(diags, err)
	}
	keepEquivalent(ctx, &model, prior)
	return model
}

// descriptionValue maps the API's two ways of saying "no description" (null and "") to whichever
// of the two the configuration uses, so neither causes a diff.
func descriptionValue(api *string, prior types.String) types.String {
	if api != nil && *api != "" {
		return types.StringValue(*api)
	}
	if !prior.IsNull() && !prior.IsUnknown() && prior.ValueString() == "" {
		return types.StringValue("")
	}
	return types.StringNull()
}

func (m webhookResourceModel) toInput(ctx context.Context) (glossi.WebhookInput, diag.Diagnostics) {
	var events []string
	diags := m.Events.ElementsAs(ctx, &events, false)
	return glossi.WebhookInput{
		URL:         m.URL.ValueString(),
		Events:      events,
		Enabled:     m.Enabled.ValueBool(),
		Description: m.Description.ValueString(),
	}, diags
}

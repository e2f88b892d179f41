package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The lifecycle of a glossi_webhook: what Terraform knows about the webhook and its secret beyond
// the attributes in state. It lives in private state under one key, read and written only in this
// file, and moves only along lifecycleTable, which testdata/lifecycle_table.txt shows as a table
// (a step a row, the state it starts from a column, the state it moves to in the cell;
// TestWebhookLifecycle_table renders it, and rewrites the file when run with -update).
//
// An empty cell cannot happen. A refresh that finds no webhook moves every state it starts from
// but "import requested" to "absent": the resource leaves the state, its lifecycle with it, and
// the next plan creates the webhook. A resource in "create unknown" has no id, so a refresh finds
// the webhook it sent (sent settings found), another one, which it leaves alone (absent), or none;
// it is never updated (Terraform taints it, so the next apply replaces it). "Import requested"
// lasts from ImportState to the Read that Terraform and OpenTofu run right after it, in the same
// command, however the import was asked for (terraform import, an import block, by id or by
// identity): only that Read sees it, and it either finds the webhook (import: webhook read) or
// fails, which leaves nothing in the state. "Secret may be stale" ends only when an answer
// carried a secret that was stored. A definite refusal, a failed refresh and a plan change
// nothing. A destroy is no row: it ends the lifecycle from every state alike, because the plan
// said so, where a refresh's row says what the API's answer means from each state (another
// webhook is "replaced outside" for a webhook Terraform has, and someone else's for a lost
// create).
//
// Beside the state, the lifecycle remembers two facts for the next step: ReplacedID (below), and
// Answered, the settings a create's answer held when the API changed a value. A create keeps the
// planned values in state (keepPlanned: Terraform taints a created resource on any error), so
// the next refresh compares the API's settings with Answered, what the API last said, and not
// with the state: the value the API changed is then drift the plan shows, never "settings
// changed outside Terraform". Every step forgets Answered; only a create writes it.
//
// A third fact, Imported, marks a webhook that an import brought into the state and that no
// update has written since: a plan that would move it to another account refuses (an import
// naming the wrong account would otherwise plan "import, then replace", and delete the webhook
// it imported). Only an import sets it; an update forgets it; a refresh keeps it.
//
// What each state makes the plan do (planFor): "may be stale" and "replaced outside" plan an
// update that stores the secret the API returns; the others plan nothing of their own.
//
// Builds before the lifecycle had one key of private state per fact (legacyLifecycle): they are
// read into it, and the next save removes them. A state with a null id is "create unknown",
// whatever private state says: only a create without a definite answer leaves one.

// lifecycleState names what Terraform knows about the webhook's secret. The values are the
// private-state encoding; lifecycleInSync is stored as no key at all.
type lifecycleState string

const (
	lifecycleAbsent           lifecycleState = "absent"    // no resource yet
	lifecycleInSync           lifecycleState = ""          // the stored secret signs deliveries
	lifecycleNoSecret         lifecycleState = "no_secret" // imported, or created by an answer without one
	lifecycleSecretMayBeStale lifecycleState = "secret_may_be_stale"
	lifecycleReplacedOutside  lifecycleState = "replaced_outside" // a refresh found another webhook id
	lifecycleCreateUnknown    lifecycleState = "create_unknown"   // state holds what a create sent, no id
	lifecycleImportRequested  lifecycleState = "import_requested" // ImportState named the webhook; Read checks it
)

// lifecyclePlan is what a lifecycle state asks of the next plan.
type lifecyclePlan struct {
	storeNewSecret bool // plan an update that stores the secret the API returns
	warnMayBeStale bool // say why
}

// lifecycleStates are the states, in the order the table's columns show them, each with its
// column's name and what it asks of the next plan. Every state but absent is one this version
// stores in private state.
var lifecycleStates = []struct {
	state lifecycleState
	name  string
	plan  lifecyclePlan
}{
	{lifecycleAbsent, "absent", lifecyclePlan{}},
	{lifecycleInSync, "in sync", lifecyclePlan{}},
	{lifecycleNoSecret, "no secret", lifecyclePlan{}},
	{lifecycleSecretMayBeStale, "may be stale", lifecyclePlan{storeNewSecret: true, warnMayBeStale: true}},
	{lifecycleReplacedOutside, "replaced outside", lifecyclePlan{storeNewSecret: true}},
	{lifecycleCreateUnknown, "create unknown", lifecyclePlan{}},
	{lifecycleImportRequested, "import requested", lifecyclePlan{}}, // only the Read right after ImportState sees it
}

// stored reports whether this version stores state in private state: any of lifecycleStates but
// absent.
func (state lifecycleState) stored() bool {
	for _, s := range lifecycleStates {
		if s.state == state {
			return state != lifecycleAbsent
		}
	}
	return false
}

// lifecycleStep is a CRUD outcome that may move the lifecycle; its value is its row's name.
type lifecycleStep string

const (
	stepCreatedWithSecret lifecycleStep = "create answered, secret"
	stepCreatedNoSecret   lifecycleStep = "create answered, no secret"
	stepCreateUncertain   lifecycleStep = "create: no definite answer"
	stepImportRequested   lifecycleStep = "import: id given"
	stepImported          lifecycleStep = "import: webhook read"
	stepRefreshSame       lifecycleStep = "refresh: same webhook"
	stepRefreshChanged    lifecycleStep = "refresh: settings changed"
	stepRefreshAnother    lifecycleStep = "refresh: another webhook"
	stepRefreshNoWebhook  lifecycleStep = "refresh: no webhook"
	stepRefreshSentFound  lifecycleStep = "refresh: sent settings found"
	stepUpdatedWithSecret lifecycleStep = "update answered, secret"
	stepUpdatedNoSecret   lifecycleStep = "update answered, no secret"
	stepUpdateUncertain   lifecycleStep = "update: no definite answer"
)

// lifecycleMoves is one row of the table: the state a step moves each state to.
type lifecycleMoves map[lifecycleState]lifecycleState

// lifecycleTable is the transition table, a row per step in the order testdata/lifecycle_table.txt
// shows them.
var lifecycleTable = []struct {
	step  lifecycleStep
	moves lifecycleMoves
}{
	{stepCreatedWithSecret, lifecycleMoves{lifecycleAbsent: lifecycleInSync}},
	{stepCreatedNoSecret, lifecycleMoves{lifecycleAbsent: lifecycleNoSecret}},
	{stepCreateUncertain, lifecycleMoves{lifecycleAbsent: lifecycleCreateUnknown}},
	{stepImportRequested, lifecycleMoves{lifecycleAbsent: lifecycleImportRequested}},
	{stepImported, lifecycleMoves{lifecycleImportRequested: lifecycleNoSecret}},
	{stepRefreshSame, lifecycleMoves{
		lifecycleInSync: lifecycleInSync, lifecycleNoSecret: lifecycleNoSecret,
		lifecycleSecretMayBeStale: lifecycleSecretMayBeStale, lifecycleReplacedOutside: lifecycleReplacedOutside,
	}},
	{stepRefreshChanged, lifecycleMoves{
		lifecycleInSync: lifecycleSecretMayBeStale, lifecycleNoSecret: lifecycleNoSecret,
		lifecycleSecretMayBeStale: lifecycleSecretMayBeStale, lifecycleReplacedOutside: lifecycleReplacedOutside,
	}},
	{stepRefreshAnother, lifecycleMoves{
		lifecycleInSync: lifecycleReplacedOutside, lifecycleNoSecret: lifecycleReplacedOutside,
		lifecycleSecretMayBeStale: lifecycleReplacedOutside, lifecycleReplacedOutside: lifecycleReplacedOutside,
		lifecycleCreateUnknown: lifecycleAbsent, // not the webhook the unanswered create sent: left alone
	}},
	{stepRefreshNoWebhook, lifecycleMoves{
		lifecycleInSync: lifecycleAbsent, lifecycleNoSecret: lifecycleAbsent, lifecycleSecretMayBeStale: lifecycleAbsent,
		lifecycleReplacedOutside: lifecycleAbsent, lifecycleCreateUnknown: lifecycleAbsent,
	}},
	{stepRefreshSentFound, lifecycleMoves{lifecycleCreateUnknown: lifecycleNoSecret}},
	{stepUpdatedWithSecret, lifecycleMoves{
		lifecycleInSync: lifecycleInSync, lifecycleNoSecret: lifecycleInSync,
		lifecycleSecretMayBeStale: lifecycleInSync, lifecycleReplacedOutside: lifecycleInSync,
	}},
	{stepUpdatedNoSecret, lifecycleMoves{
		lifecycleInSync: lifecycleSecretMayBeStale, lifecycleNoSecret: lifecycleNoSecret,
		lifecycleSecretMayBeStale: lifecycleSecretMayBeStale, lifecycleReplacedOutside: lifecycleSecretMayBeStale,
	}},
	{stepUpdateUncertain, lifecycleMoves{
		lifecycleInSync: lifecycleSecretMayBeStale, lifecycleNoSecret: lifecycleNoSecret,
		lifecycleSecretMayBeStale: lifecycleSecretMayBeStale, lifecycleReplacedOutside: lifecycleReplacedOutside,
	}},
}

// move is where step takes the state from: its cell in lifecycleTable, or false when it has none.
func (step lifecycleStep) move(from lifecycleState) (lifecycleState, bool) {
	for _, row := range lifecycleTable {
		if row.step == step {
			next, ok := row.moves[from]
			return next, ok
		}
	}
	return from, false
}

// webhookLifecycle is the lifecycle of one resource, as private state holds it.
type webhookLifecycle struct {
	State lifecycleState `json:"state,omitempty"`
	// ReplacedID is the webhook Terraform created or imported, while the account's webhook is
	// another one that Terraform has not written yet: the plan of a destroy names both.
	ReplacedID string `json:"replaced_id,omitempty"`
	// Answered is what the API answered to the create when it changed a planned value, zero
	// otherwise: what the next refresh compares with (lastWritten).
	Answered answeredSettings `json:"answered,omitzero"`
	// Imported: an import brought the webhook into the state and no update has written it since.
	Imported bool `json:"imported,omitempty"`
}

// answeredSettings is webhookSettings in the private-state encoding, comparable so that a
// lifecycle is.
type answeredSettings struct {
	URL         string `json:"url"`
	Events      string `json:"events"` // normalized, comma-separated: an event name has no comma
	Enabled     bool   `json:"enabled"`
	Description string `json:"description"`
}

// rememberAnswer is l once a create was answered with answer although it planned other values.
func (l webhookLifecycle) rememberAnswer(answer webhookSettings) webhookLifecycle {
	l.Answered = answeredSettings{URL: answer.url, Events: strings.Join(answer.events, ","), Enabled: answer.enabled,
		Description: answer.description}
	return l
}

// lastWritten is what the API last answered to Terraform: the remembered answer of a create that
// changed a value, or else the settings in state.
func (l webhookLifecycle) lastWritten(inState webhookSettings) webhookSettings {
	a := l.Answered
	if a == (answeredSettings{}) {
		return inState
	}
	return webhookSettings{url: a.URL, events: normalizeEvents(strings.Split(a.Events, ",")), enabled: a.Enabled,
		description: a.Description}
}

// after is the lifecycle once step happened to the webhook whose id was stateID. A step the
// table has no cell for leaves the lifecycle as it is.
func (l webhookLifecycle) after(step lifecycleStep, stateID string) webhookLifecycle {
	next, ok := step.move(l.State)
	switch {
	case !ok:
		return l
	case next == lifecycleAbsent:
		return newLifecycle() // the resource leaves the state, and what its lifecycle remembered with it
	}
	l.Answered = answeredSettings{} // the state now holds what this step read or wrote
	switch step {
	case stepImported:
		l.Imported = true
	case stepRefreshAnother:
		if l.ReplacedID == "" {
			l.ReplacedID = stateID // the earliest wins: it is the one Terraform created or imported
		}
	case stepUpdatedWithSecret, stepUpdatedNoSecret:
		l.ReplacedID, l.Imported = "", false // Terraform wrote its configuration into the account's webhook
	}
	l.State = next
	return l
}

// planFor is what the lifecycle's state asks of the next plan (lifecycleStates).
func (l webhookLifecycle) planFor() lifecyclePlan {
	for _, s := range lifecycleStates {
		if s.state == l.State {
			return s.plan
		}
	}
	return lifecyclePlan{}
}

// privateLifecycle is the one private-state key of the resource.
const privateLifecycle = "lifecycle"

// privateGetter and privateSetter are the private-state halves of the framework's requests and
// responses.
type (
	privateGetter interface {
		GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	}
	privateSetter interface {
		SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
	}
)

// loadLifecycle reads the lifecycle of the resource whose id in state is stateID from private
// state: the lifecycle key, or the keys of earlier builds; none is "in sync". What it cannot read
// it refuses with an error, rather than guess: starting over "in sync" would lose a lost create or
// a stale secret.
func loadLifecycle(ctx context.Context, private privateGetter, stateID types.String) (webhookLifecycle, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateLifecycle)
	legacy, legacyDiags := readLegacyKeys(ctx, private)
	diags.Append(legacyDiags...)
	if diags.HasError() {
		return webhookLifecycle{}, diags
	}
	var l webhookLifecycle
	problem := ""
	switch {
	case len(raw) > 0 && legacy.any():
		problem = "it holds both the lifecycle of this version and the keys of an earlier one, so Terraform cannot tell which is current"
	case len(raw) > 0:
		l, problem = decodeLifecycle(raw)
	case legacy.any():
		l, problem = legacy.lifecycle()
	}
	if problem != "" {
		addUnreadableLifecycleError(&diags, problem)
		return webhookLifecycle{}, diags
	}
	if stateID.IsNull() {
		l = webhookLifecycle{State: lifecycleCreateUnknown}
	}
	return l, diags
}

// decodeLifecycle decodes the lifecycle key, or says why it cannot.
func decodeLifecycle(raw []byte) (webhookLifecycle, string) {
	var l webhookLifecycle
	if err := json.Unmarshal(raw, &l); err != nil {
		return l, "its lifecycle is not the JSON object this version writes"
	}
	if !l.State.stored() {
		return l, fmt.Sprintf("its lifecycle is in the state %q, which this version does not know", l.State)
	}
	return l, ""
}

// saveLifecycle writes l to private state, and removes the keys of earlier builds; "in sync" with
// nothing to remember is no key at all.
func saveLifecycle(ctx context.Context, private privateSetter, l webhookLifecycle) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, key := range legacyKeys {
		diags.Append(private.SetKey(ctx, key, nil)...)
	}
	if l == (webhookLifecycle{}) {
		return append(diags, private.SetKey(ctx, privateLifecycle, nil)...)
	}
	raw, _ := json.Marshal(l) // strings and bools always marshal
	return append(diags, private.SetKey(ctx, privateLifecycle, raw)...)
}

// newLifecycle is the lifecycle of a resource not created or imported yet.
func newLifecycle() webhookLifecycle { return webhookLifecycle{State: lifecycleAbsent} }

// createdStep is the step of a create that the API answered, secretStored saying whether its
// answer carried a secret that the state now holds.
func createdStep(secretStored bool) lifecycleStep {
	if !secretStored {
		return stepCreatedNoSecret
	}
	return stepCreatedWithSecret
}

// updatedStep is the step of an update that the API answered: the secret is confirmed only when
// the answer carried one that the state now holds (secretStored; storeSecret stores none it
// cannot encrypt).
func updatedStep(secretStored bool) lifecycleStep {
	if !secretStored {
		return stepUpdatedNoSecret
	}
	return stepUpdatedWithSecret
}

// The private-state keys of the builds before the lifecycle (up to commit 3f5f460), one per fact,
// each holding JSON:
//
//	uncertain_create  true                a create got no definite answer
//	stale_secret      true                a refresh found another webhook (replaced outside)
//	stale_secret      "uncertain_update"  an update got no definite answer (secret may be stale)
//	replaced_id       "<id>"              the webhook Terraform created or imported, once replaced
//
// An update that was answered removed them all.
const (
	legacyUncertainCreate = "uncertain_create"
	legacyStaleSecret     = "stale_secret"
	legacyReplacedID      = "replaced_id"
)

var legacyKeys = []string{legacyUncertainCreate, legacyStaleSecret, legacyReplacedID}

// legacyCombination is which of the earlier builds' keys a private state holds, and how.
type legacyCombination struct {
	uncertainCreate, staleSecret string // raw JSON, "" for no key
	replaced                     bool   // replaced_id holds an id
}

// legacyStates is what each combination those builds wrote means, as this build would have
// recorded the same history; they wrote no other.
var legacyStates = map[legacyCombination]lifecycleState{
	{uncertainCreate: "true"}:                           lifecycleCreateUnknown,
	{staleSecret: "true"}:                               lifecycleReplacedOutside, // before replaced_id existed
	{staleSecret: "true", replaced: true}:               lifecycleReplacedOutside,
	{staleSecret: `"uncertain_update"`}:                 lifecycleSecretMayBeStale,
	{staleSecret: `"uncertain_update"`, replaced: true}: lifecycleReplacedOutside, // an uncertain update once replaced
}

// legacyLifecycle is what the keys of earlier builds hold, raw ("" for no key).
type legacyLifecycle struct {
	uncertainCreate, staleSecret, replacedID string
}

func readLegacyKeys(ctx context.Context, private privateGetter) (legacyLifecycle, diag.Diagnostics) {
	var l legacyLifecycle
	var diags diag.Diagnostics
	for key, value := range map[string]*string{legacyUncertainCreate: &l.uncertainCreate,
		legacyStaleSecret: &l.staleSecret, legacyReplacedID: &l.replacedID} {
		raw, d := private.GetKey(ctx, key)
		diags.Append(d...)
		*value = string(raw)
	}
	return l, diags
}

func (l legacyLifecycle) any() bool { return l != legacyLifecycle{} }

// lifecycle is the lifecycle the earlier build's keys describe (legacyStates), or why they
// describe none.
func (l legacyLifecycle) lifecycle() (webhookLifecycle, string) {
	var replacedID string
	if l.replacedID != "" && (json.Unmarshal([]byte(l.replacedID), &replacedID) != nil || replacedID == "") {
		return webhookLifecycle{}, l.problem()
	}
	state, ok := legacyStates[legacyCombination{l.uncertainCreate, l.staleSecret, replacedID != ""}]
	if !ok {
		return webhookLifecycle{}, l.problem()
	}
	return webhookLifecycle{State: state, ReplacedID: replacedID}, ""
}

func (l legacyLifecycle) problem() string {
	return fmt.Sprintf("the keys of an earlier version hold %s %s, %s %s and %s %s, which no version wrote",
		legacyUncertainCreate, shownJSON(l.uncertainCreate), legacyStaleSecret, shownJSON(l.staleSecret),
		legacyReplacedID, shownJSON(l.replacedID))
}

// shownJSON is a private-state value as a diagnostic shows it: "none" for no key.
func shownJSON(raw string) string {
	if raw == "" {
		return "none"
	}
	return raw
}

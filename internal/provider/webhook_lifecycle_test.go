package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/internal/sandbox"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/ from the code")

// lifecycleTableFile is the transition table as text, which the doc comment of webhook_lifecycle.go
// points to.
const lifecycleTableFile = "testdata/lifecycle_table.txt"

// TestWebhookLifecycle_table walks every step from every state through after() and holds the
// table it renders against testdata/lifecycle_table.txt: a cell missing from the code, or one
// that moves elsewhere, fails here. After a deliberate change of the table:
//
//	go test ./internal/provider -run TestWebhookLifecycle_table -update
func TestWebhookLifecycle_table(t *testing.T) {
	got := renderLifecycleTable(t)
	if *updateGolden {
		if err := os.WriteFile(lifecycleTableFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(lifecycleTableFile)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the lifecycle's transitions differ from %s (run with -update to rewrite it after a deliberate "+
			"change).\nThe code:\n%s\n%s:\n%s", lifecycleTableFile, got, lifecycleTableFile, want)
	}
}

// renderLifecycleTable is the transition table as text: a row per step, a column per state it
// starts from, in each cell the state after() moves it to. A step with no cell must leave the
// state as it is, and the cell stays empty.
func renderLifecycleTable(t *testing.T) string {
	t.Helper()
	rows := [][]string{{`step \ from`}}
	for _, column := range lifecycleStates {
		rows[0] = append(rows[0], column.name)
	}
	for _, row := range lifecycleTable {
		cells := []string{string(row.step)}
		for _, column := range lifecycleStates {
			next := webhookLifecycle{State: column.state}.after(row.step, "id-1").State
			_, hasCell := row.moves[column.state]
			switch {
			case hasCell:
				cells = append(cells, lifecycleStateName(t, next))
			case next != column.state:
				t.Errorf("%s from %s has no cell, yet moves to %q", row.step, column.name, next)
				cells = append(cells, "?")
			default:
				cells = append(cells, "")
			}
		}
		rows = append(rows, cells)
	}
	return formatColumns(rows)
}

func lifecycleStateName(t *testing.T, state lifecycleState) string {
	t.Helper()
	for _, s := range lifecycleStates {
		if s.state == state {
			return s.name
		}
	}
	t.Fatalf("the state %q is not a column of the table (lifecycleStates)", state)
	return ""
}

// formatColumns aligns rows in columns two spaces apart, without trailing spaces.
func formatColumns(rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			fmt.Fprintf(&line, "%-*s", widths[i]+2, cell)
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// Every state is a column of the table and has a plan, and every step is a row: a state or a
// step added without its place in the table fails here.
func TestWebhookLifecycle_tableNamesEveryStateAndStep(t *testing.T) {
	columns := map[lifecycleState]bool{}
	for _, column := range lifecycleStates {
		columns[column.state] = true
	}
	for state := range lifecyclePlans {
		if !columns[state] {
			t.Errorf("the state %q has a plan but no column", state)
		}
	}
	if len(columns) != len(lifecyclePlans)+1 || !columns[lifecycleAbsent] {
		t.Errorf("the columns are %v; want absent and every state with a plan", columns)
	}
	steps := map[lifecycleStep]bool{}
	for _, row := range lifecycleTable {
		if steps[row.step] {
			t.Errorf("the step %q has two rows", row.step)
		}
		steps[row.step] = true
	}
	for _, step := range []lifecycleStep{stepCreatedWithSecret, stepCreatedNoSecret, stepCreateUncertain,
		stepImportRequested, stepImported, stepRefreshSame, stepRefreshChanged, stepRefreshAnother,
		stepRefreshSentFound, stepUpdatedWithSecret, stepUpdatedNoSecret, stepUpdateUncertain} {
		if !steps[step] {
			t.Errorf("the step %q has no row", step)
		}
	}
}

// The replaced id names the webhook Terraform created or imported, through any number of
// replacements, until Terraform writes its configuration into the account's webhook.
func TestWebhookLifecycle_replacedID(t *testing.T) {
	l := webhookLifecycle{}.after(stepRefreshAnother, "created").after(stepRefreshAnother, "second")
	if l.ReplacedID != "created" {
		t.Errorf("replaced id = %q, want the first one", l.ReplacedID)
	}
	if kept := l.after(stepUpdateUncertain, "second"); kept.ReplacedID != "created" {
		t.Errorf("an uncertain update forgot the replaced id: %+v", kept)
	}
	if done := l.after(stepUpdatedNoSecret, "second"); done.ReplacedID != "" || done.State != lifecycleSecretMayBeStale {
		t.Errorf("after an update without a secret: %+v", done)
	}
}

func TestWebhookLifecycle_plan(t *testing.T) {
	cases := map[lifecycleState]lifecyclePlan{
		lifecycleInSync:           {},
		lifecycleNoSecret:         {},
		lifecycleCreateUnknown:    {},
		lifecycleSecretMayBeStale: {storeNewSecret: true, warnMayBeStale: true},
		lifecycleReplacedOutside:  {storeNewSecret: true},
	}
	for state, want := range cases {
		if got := (webhookLifecycle{State: state}).planFor(); got != want {
			t.Errorf("plan for %q = %+v, want %+v", state, got, want)
		}
	}
}

// memoryPrivate is private state in a map, as the framework keeps it between calls.
type memoryPrivate map[string][]byte

func (m memoryPrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return m[key], nil
}

func (m memoryPrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if value == nil {
		delete(m, key)
	} else {
		m[key] = value
	}
	return nil
}

func TestWebhookLifecycle_privateEncoding(t *testing.T) {
	ctx := context.Background()
	for _, l := range []webhookLifecycle{
		{},
		{State: lifecycleSecretMayBeStale},
		{State: lifecycleReplacedOutside, ReplacedID: "created"},
		{State: lifecycleNoSecret, Imported: true},
	} {
		private := memoryPrivate{}
		if diags := saveLifecycle(ctx, private, l); diags.HasError() {
			t.Fatal(diags)
		}
		if l == (webhookLifecycle{}) && len(private) != 0 {
			t.Errorf("in sync is stored as %q, want no key", private)
		}
		got, diags := loadLifecycle(ctx, private, types.StringValue("id"))
		if got != l || diags.HasError() {
			t.Errorf("round trip of %+v gave %+v, %v", l, got, diags)
		}
	}
}

// What earlier builds stored under their three keys is read into the lifecycle, as this build
// would have recorded the same history; a combination no build wrote, and a lifecycle this
// version cannot decode, are refused with an error that says what was found, never read as
// "in sync".
func TestWebhookLifecycle_loadsEarlierBuildsOrRefuses(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		private memoryPrivate
		want    webhookLifecycle
		problem string // in the error's detail when want is unreadable
	}{
		"lost create": {
			private: memoryPrivate{legacyUncertainCreate: []byte("true")},
			want:    webhookLifecycle{State: lifecycleCreateUnknown},
		},
		"replaced outside, before replaced_id existed": {
			private: memoryPrivate{legacyStaleSecret: []byte("true")},
			want:    webhookLifecycle{State: lifecycleReplacedOutside},
		},
		"replaced outside": {
			private: memoryPrivate{legacyStaleSecret: []byte("true"), legacyReplacedID: []byte(`"created-id"`)},
			want:    webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"},
		},
		"update outcome unknown": {
			private: memoryPrivate{legacyStaleSecret: []byte(`"uncertain_update"`)},
			want:    webhookLifecycle{State: lifecycleSecretMayBeStale},
		},
		"update outcome unknown after a replacement": {
			private: memoryPrivate{legacyStaleSecret: []byte(`"uncertain_update"`), legacyReplacedID: []byte(`"created-id"`)},
			want:    webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"},
		},
		"an unknown stale_secret": {
			private: memoryPrivate{legacyStaleSecret: []byte(`"rotated"`)},
			problem: `stale_secret "rotated"`,
		},
		"replaced_id alone": {
			private: memoryPrivate{legacyReplacedID: []byte(`"created-id"`)},
			problem: `replaced_id "created-id", which no version wrote`,
		},
		"a lost create beside a stale secret": {
			private: memoryPrivate{legacyUncertainCreate: []byte("true"), legacyStaleSecret: []byte("true")},
			problem: "uncertain_create true, stale_secret true",
		},
		"both encodings": {
			private: memoryPrivate{privateLifecycle: []byte(`{"state":"no_secret"}`), legacyStaleSecret: []byte("true")},
			problem: "both the lifecycle of this version and the keys of an earlier one",
		},
		"not an object": {
			private: memoryPrivate{privateLifecycle: []byte(`"not an object"`)},
			problem: "not the JSON object this version writes",
		},
		"a state of another version": {
			private: memoryPrivate{privateLifecycle: []byte(`{"state":"rotating"}`)},
			problem: `the state "rotating", which this version does not know`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, diags := loadLifecycle(ctx, tc.private, types.StringValue("state-id"))
			if tc.problem == "" {
				if diags.HasError() || got != tc.want {
					t.Errorf("loaded %+v, %v; want %+v", got, diags, tc.want)
				}
				return
			}
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), tc.problem) ||
				diags[0].Summary() != "Unreadable Glossi Webhook Private State" {
				t.Errorf("loaded %+v, %v; want the error naming %s", got, diags, tc.problem)
			}
		})
	}
}

// Saving the lifecycle removes the keys of an earlier build, so they are read only once.
func TestWebhookLifecycle_saveRemovesEarlierKeys(t *testing.T) {
	ctx := context.Background()
	private := memoryPrivate{legacyStaleSecret: []byte("true"), legacyReplacedID: []byte(`"created-id"`)}
	l, _ := loadLifecycle(ctx, private, types.StringValue("id"))
	if diags := saveLifecycle(ctx, private, l.after(stepUpdatedWithSecret, "id")); diags.HasError() {
		t.Fatal(diags)
	}
	if len(private) != 0 {
		t.Errorf("after an update in sync, private state holds %q, want nothing", private)
	}
}

// A state whose id is null comes only from a create that got no definite answer: it is "create
// unknown" whatever private state holds, or lacks.
func TestWebhookLifecycle_nullIDIsCreateUnknown(t *testing.T) {
	ctx := context.Background()
	for _, private := range []memoryPrivate{{}, {privateLifecycle: []byte(`{"state":"no_secret"}`)}} {
		got, diags := loadLifecycle(ctx, private, types.StringNull())
		if diags.HasError() || got != (webhookLifecycle{State: lifecycleCreateUnknown}) {
			t.Errorf("with private state %q and a null id: %+v, %v", private, got, diags)
		}
	}
}

// An import marks the webhook imported; refreshes keep the mark, and an update, which writes the
// configuration into the webhook, removes it.
func TestWebhookLifecycle_importedUntilUpdated(t *testing.T) {
	l := newLifecycle().after(stepImportRequested, "").after(stepImported, "")
	for _, step := range []lifecycleStep{stepRefreshSame, stepRefreshChanged, stepRefreshAnother, stepUpdateUncertain} {
		if l = l.after(step, "id"); !l.Imported {
			t.Fatalf("%s forgot the import", step)
		}
	}
	if l.after(stepUpdatedNoSecret, "id").Imported || l.after(stepUpdatedWithSecret, "id").Imported {
		t.Error("an update kept the import mark")
	}
}

// A state written by a build before the lifecycle, with that build's private-state keys: glossi_webhook.lost
// is a create that got no definite answer (uncertain_create, tainted, no id), and since then another writer
// created the staging account's webhook; glossi_webhook.test has a secret that may be stale
// (stale_secret "uncertain_update"), and another writer's update did rotate it. The apply leaves the
// other writer's webhook alone, saying "Not Created By Terraform", and stores the current secret,
// saying "Secret May Be Stale": it neither adopts the other webhook nor plans "No changes".
func TestWebhookResource_stateOfEarlierBuild(t *testing.T) {
	t.Parallel()
	env := newAccountsEnv(t)
	const storedSecret = "whsec-stored-by-an-earlier-build"
	inState := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{URL: "https://hooks.example.com/test",
		Events: []string{"render.complete"}, Enabled: true, Secret: storedSecret})
	env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.Secret = "whsec-rotated-by-another-writer" })
	others := env.sandbox.SetWebhook(stagingKey, sandbox.Webhook{URL: "https://other-writer.example.com/hook",
		Events: []string{"job.failed"}, Enabled: true})
	state := earlierBuildState(t,
		earlierBuildInstance{name: "test", private: map[string]string{legacyStaleSecret: `"uncertain_update"`},
			attributes: map[string]any{"id": inState.ID, "url": "https://hooks.example.com/test", "secret": storedSecret,
				"secret_version": 1, "secret_fingerprint": glossiwebhook.Fingerprint(storedSecret)}},
		earlierBuildInstance{name: "lost", tainted: true, private: map[string]string{legacyUncertainCreate: "true"},
			attributes: map[string]any{"account": "staging", "url": "https://hooks.example.com/lost"}})
	ws := newCLIWorkspace(t, map[string]string{"terraform.tfstate": state, "main.tf": cliRequiredProviders +
		env.accountsProviderBlock() + accountWebhook("test", "") + accountWebhook("lost", "staging")})

	out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Errorf("the apply succeeded; the create of glossi_webhook.lost should find the other writer's webhook:\n%s", out)
	}
	expectOutput(t, out, "Warning: Glossi Webhook Not Created By Terraform", others.ID)
	expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale")
	expectOutput(t, out, "Plan: 1 to add, 1 to change, 0 to destroy.")
	expectOutput(t, out, "Error: Glossi Webhook Already Exists")
	if now, ok := env.sandbox.Webhook(stagingKey); !ok || now.ID != others.ID || now.URL != others.URL {
		t.Errorf("the other writer's webhook was changed or deleted: %+v (found %t)", now, ok)
	}
	if got := ws.stateAddresses(t); len(got) != 1 || got[0] != resourceName {
		t.Errorf("the state holds %q, want only %s", got, resourceName)
	}
	ws.expectSandboxSecret(t, env, "after the apply over a secret that may be stale")
	if strings.Contains(out, storedSecret) || strings.Contains(out, env.storedWebhook(t).Secret) {
		t.Error("terraform's output contains a webhook secret")
	}
}

// earlierBuildInstance is one glossi_webhook in a state an earlier build wrote: attributes beside
// the defaults below, and private state under that build's keys (values as JSON).
type earlierBuildInstance struct {
	name       string
	tainted    bool
	attributes map[string]any
	private    map[string]string
}

// earlierBuildState is the state file holding instances, as Terraform writes it: private state is
// the framework's JSON object of base64 values, itself base64 in the file.
func earlierBuildState(t *testing.T, instances ...earlierBuildInstance) string {
	t.Helper()
	var resources []any
	for _, in := range instances {
		attributes := map[string]any{"id": nil, "account": nil, "events": []string{"render.complete"}, "enabled": true,
			"description": nil, "secret": nil, "rotate_secret_triggers": nil, "secret_version": nil,
			"secret_fingerprint": nil, "previous_secret": nil, "secret_rotated_at": nil}
		maps.Copy(attributes, in.attributes)
		private := map[string][]byte{}
		for key, value := range in.private {
			private[key] = []byte(value)
		}
		privateJSON, _ := json.Marshal(private)
		instance := map[string]any{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []any{},
			"private": base64.StdEncoding.EncodeToString(privateJSON)}
		if in.tainted {
			instance["status"] = "tainted"
		}
		resources = append(resources, map[string]any{"mode": "managed", "type": "glossi_webhook", "name": in.name,
			"provider": fmt.Sprintf("provider[%q]", providerHost()+"/glossi/glossi"), "instances": []any{instance}})
	}
	raw, err := json.Marshal(map[string]any{"version": 4, "terraform_version": "1.11.4", "serial": 7,
		"lineage": "0b7a0f8e-5d0c-4c57-9a53-0d5c1f0e2a41", "outputs": map[string]any{}, "resources": resources})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

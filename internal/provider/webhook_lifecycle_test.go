package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

// Every state is one column of the table, and every step is a row: a state or a step added
// without its place in the table fails here.
func TestWebhookLifecycle_tableNamesEveryStateAndStep(t *testing.T) {
	columns := map[lifecycleState]bool{}
	for _, column := range lifecycleStates {
		if columns[column.state] {
			t.Errorf("the state %q has two columns", column.state)
		}
		columns[column.state] = true
	}
	for _, state := range []lifecycleState{lifecycleAbsent, lifecycleInSync, lifecycleNoSecret, lifecycleSecretMayBeStale,
		lifecycleReplacedOutside, lifecycleCreateUnknown, lifecycleImportRequested} {
		if !columns[state] {
			t.Errorf("the state %q has no column", state)
		}
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
		stepRefreshNoWebhook, stepRefreshSentFound, stepUpdatedWithSecret, stepUpdatedNoSecret, stepUpdateUncertain} {
		if !steps[step] {
			t.Errorf("the step %q has no row", step)
		}
	}
}

// lifecycleCell is a cell of lifecycleTable: a step taken from a state.
type lifecycleCell struct {
	step lifecycleStep
	from lifecycleState
}

// lifecycleCellTests names, for each cell of lifecycleTable, the test that takes that step from
// that state: the test named for the cell (cellTestName), or a test named for another cell that
// passes through this one too. TestWebhookLifecycle_everyCellHasATest holds it to the table and to
// the package's tests. The tests run terraform (plugin-testing or the CLI), but for those marked
// "in process": they call Read or Update as the framework does (resourcecall_test.go), where
// terraform runs would first have to bring the resource into that state, for the same code path.
var lifecycleCellTests = map[lifecycleCell]string{
	{stepCreatedWithSecret, lifecycleAbsent}: "TestLifecycle_createAnsweredSecret_fromAbsent",
	{stepCreatedNoSecret, lifecycleAbsent}:   "TestLifecycle_createAnsweredNoSecret_fromAbsent",
	{stepCreateUncertain, lifecycleAbsent}:   "TestLifecycle_createNoDefiniteAnswer_fromAbsent",
	{stepImportRequested, lifecycleAbsent}:   "TestLifecycle_importWebhookRead_fromImportRequested",
	{stepImported, lifecycleImportRequested}: "TestLifecycle_importWebhookRead_fromImportRequested",

	{stepRefreshSame, lifecycleInSync}:           "TestLifecycle_refreshSameWebhook_fromInSync",
	{stepRefreshSame, lifecycleNoSecret}:         "TestLifecycle_importWebhookRead_fromImportRequested",
	{stepRefreshSame, lifecycleSecretMayBeStale}: "TestLifecycle_updateAnsweredNoSecret_fromInSync",
	{stepRefreshSame, lifecycleReplacedOutside}:  "TestLifecycle_refreshSameWebhook_fromReplacedOutside", // in process

	{stepRefreshChanged, lifecycleInSync}:           "TestLifecycle_refreshSettingsChanged_fromInSync",
	{stepRefreshChanged, lifecycleNoSecret}:         "TestLifecycle_refreshSettingsChanged_fromNoSecret", // in process
	{stepRefreshChanged, lifecycleSecretMayBeStale}: "TestLifecycle_updateNoDefiniteAnswer_fromInSync",
	{stepRefreshChanged, lifecycleReplacedOutside}:  "TestLifecycle_refreshSettingsChanged_fromReplacedOutside", // in process

	{stepRefreshAnother, lifecycleInSync}:           "TestLifecycle_refreshAnotherWebhook_fromInSync",
	{stepRefreshAnother, lifecycleNoSecret}:         "TestLifecycle_refreshAnotherWebhook_fromNoSecret",        // in process
	{stepRefreshAnother, lifecycleSecretMayBeStale}: "TestLifecycle_refreshAnotherWebhook_fromMayBeStale",      // in process
	{stepRefreshAnother, lifecycleReplacedOutside}:  "TestLifecycle_refreshAnotherWebhook_fromReplacedOutside", // in process
	{stepRefreshAnother, lifecycleCreateUnknown}:    "TestLifecycle_refreshAnotherWebhook_fromCreateUnknown",   // in process

	{stepRefreshNoWebhook, lifecycleInSync}:           "TestLifecycle_refreshNoWebhook_fromInSync",          // in process
	{stepRefreshNoWebhook, lifecycleNoSecret}:         "TestLifecycle_refreshNoWebhook_fromNoSecret",        // in process
	{stepRefreshNoWebhook, lifecycleSecretMayBeStale}: "TestLifecycle_refreshNoWebhook_fromMayBeStale",      // in process
	{stepRefreshNoWebhook, lifecycleReplacedOutside}:  "TestLifecycle_refreshNoWebhook_fromReplacedOutside", // in process
	{stepRefreshNoWebhook, lifecycleCreateUnknown}:    "TestLifecycle_refreshNoWebhook_fromCreateUnknown",   // in process

	{stepRefreshSentFound, lifecycleCreateUnknown}: "TestLifecycle_refreshSentSettingsFound_fromCreateUnknown",

	{stepUpdatedWithSecret, lifecycleInSync}:           "TestLifecycle_createAnsweredSecret_fromAbsent",
	{stepUpdatedWithSecret, lifecycleNoSecret}:         "TestLifecycle_importWebhookRead_fromImportRequested",
	{stepUpdatedWithSecret, lifecycleSecretMayBeStale}: "TestLifecycle_updateNoDefiniteAnswer_fromInSync",
	{stepUpdatedWithSecret, lifecycleReplacedOutside}:  "TestLifecycle_refreshAnotherWebhook_fromInSync",

	{stepUpdatedNoSecret, lifecycleInSync}:           "TestLifecycle_updateAnsweredNoSecret_fromInSync",
	{stepUpdatedNoSecret, lifecycleNoSecret}:         "TestLifecycle_createAnsweredNoSecret_fromAbsent",
	{stepUpdatedNoSecret, lifecycleSecretMayBeStale}: "TestLifecycle_updateAnsweredNoSecret_fromMayBeStale",
	{stepUpdatedNoSecret, lifecycleReplacedOutside}:  "TestLifecycle_updateAnsweredNoSecret_fromReplacedOutside", // in process

	{stepUpdateUncertain, lifecycleInSync}:           "TestLifecycle_updateNoDefiniteAnswer_fromInSync",
	{stepUpdateUncertain, lifecycleNoSecret}:         "TestLifecycle_updateNoDefiniteAnswer_fromNoSecret",        // in process
	{stepUpdateUncertain, lifecycleSecretMayBeStale}: "TestLifecycle_updateNoDefiniteAnswer_fromMayBeStale",      // in process
	{stepUpdateUncertain, lifecycleReplacedOutside}:  "TestLifecycle_updateNoDefiniteAnswer_fromReplacedOutside", // in process
}

// Every cell of the table has a test that make test runs, and a test named for a cell is the one
// listed for it: a cell added to the table without a test, a listed test renamed, gone or behind a
// build tag, or a test named for a cell it is not listed for, fails here.
func TestWebhookLifecycle_everyCellHasATest(t *testing.T) {
	tests := packageTests(t)
	cells := map[lifecycleCell]bool{}
	for _, row := range lifecycleTable {
		for from := range row.moves {
			c := lifecycleCell{row.step, from}
			cells[c] = true
			name, listed := lifecycleCellTests[c]
			switch {
			case !listed:
				t.Errorf("%q from %q has no test: write %s, or list in lifecycleCellTests a test that takes it",
					c.step, lifecycleStateName(t, c.from), cellTestName(t, c))
			case !strings.HasPrefix(name, "TestLifecycle_"):
				t.Errorf("lifecycleCellTests lists %s for %q from %q: a cell's test is named for a cell", name, c.step,
					lifecycleStateName(t, c.from))
			case !tests[name]:
				t.Errorf("lifecycleCellTests lists %s for %q from %q, which is no test of this package that make test runs",
					name, c.step, lifecycleStateName(t, c.from))
			}
		}
	}
	for c := range lifecycleCellTests {
		if !cells[c] {
			t.Errorf("lifecycleCellTests lists %q from %q, which is no cell of the table", c.step, c.from)
		}
	}
	named := map[string]lifecycleCell{}
	for c := range cells {
		named[cellTestName(t, c)] = c
	}
	for name := range tests {
		if !strings.HasPrefix(name, "TestLifecycle_") {
			continue
		}
		c, isCell := named[name]
		listed, hasTest := lifecycleCellTests[c]
		switch {
		case !isCell:
			t.Errorf("%s is named like the test of a cell, but no cell of the table has that name", name)
		case hasTest && listed != name:
			t.Errorf("%s is named for %q from %q, for which lifecycleCellTests lists %s", name, c.step,
				lifecycleStateName(t, c.from), listed)
		}
	}
}

// cellTestName is the name of the test of c: TestLifecycle_<step>_from<state>, in camel case from
// the table's own names ("update: no definite answer" from "in sync" is
// TestLifecycle_updateNoDefiniteAnswer_fromInSync).
func cellTestName(t *testing.T, c lifecycleCell) string {
	t.Helper()
	return "TestLifecycle_" + camelCase(string(c.step), false) + "_from" + camelCase(lifecycleStateName(t, c.from), true)
}

func camelCase(s string, upperFirst bool) string {
	var b strings.Builder
	for i, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		switch {
		case word == "id" && i > 0:
			word = "ID"
		case i > 0 || upperFirst:
			word = strings.ToUpper(word[:1]) + word[1:]
		}
		b.WriteString(word)
	}
	return b.String()
}

// packageTests are the names of the package's Test functions, each true when make test runs it:
// a file with a build constraint is built only by the targets that set its tags.
func packageTests(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		untagged := true
		for _, group := range f.Comments {
			for _, c := range group.List {
				if c.Pos() < f.Package && constraint.IsGoBuild(c.Text) {
					untagged = false
				}
			}
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") {
				tests[fn.Name.Name] = untagged
			}
		}
	}
	return tests
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
		"a replaced_id that is not a JSON string": {
			private: memoryPrivate{legacyStaleSecret: []byte("true"), legacyReplacedID: []byte("42")},
			problem: "stale_secret true and replaced_id 42, which no version wrote",
		},
		"an empty replaced_id": {
			private: memoryPrivate{legacyStaleSecret: []byte("true"), legacyReplacedID: []byte(`""`)},
			problem: `stale_secret true and replaced_id "", which no version wrote`,
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
	inState := sandboxWebhook("https://hooks.example.com/test")
	inState.Secret = storedSecret
	inState = env.sandbox.SetWebhook(testAPIKey, inState)
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
		t.Errorf("the other writer's webhook was changed or deleted: id %q, url %q (found %t)", now.ID, now.URL, ok)
	}
	if got := ws.stateAddresses(t); len(got) != 1 || got[0] != resourceName {
		t.Errorf("the state holds %q, want only %s", got, resourceName)
	}
	ws.expectSandboxSecret(t, env, "after the apply over a secret that may be stale")
	expectNoSecret(t, "terraform's output", out, storedSecret, env.storedWebhook(t).Secret)
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

// A create whose answer changed a value remembers that answer, through private state, until the
// next step: the next refresh compares with it, and then forgets it.
func TestWebhookLifecycle_answeredUntilNextStep(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	answer := webhookSettings{url: "https://hooks.example.com/", events: []string{"job.failed", "model.processed"},
		enabled: true, description: "d"}
	inState := webhookSettings{url: "https://hooks.example.com/", events: []string{"model.processed"}}
	l := newLifecycle().after(stepCreatedWithSecret, "").rememberAnswer(answer)

	private := memoryPrivate{}
	if diags := saveLifecycle(ctx, private, l); diags.HasError() {
		t.Fatal(diags)
	}
	loaded, _ := loadLifecycle(ctx, private, types.StringValue("id"))
	if loaded != l || !sameSettings(loaded.lastWritten(inState), answer) {
		t.Errorf("round trip of %+v gave %+v, last written %+v", l, loaded, loaded.lastWritten(inState))
	}
	next := loaded.after(stepRefreshSame, "id")
	if next != (webhookLifecycle{}) || !sameSettings(next.lastWritten(inState), inState) {
		t.Errorf("after a refresh: %+v, want in sync with nothing remembered", next)
	}
}

// The tests of the cells, in the table's order: lifecycleCellTests says which test takes which
// cell.

// sandboxModes are the behaviours the seed leaves open; the lifecycle must pass under each. The
// other answers each change one answer the lifecycle meets, at a different point, so one
// lifecycle meets them all: the existence check before the create gets JSON null for "no
// webhook", the create's and the update's answers list the events reversed, the update rotates
// the secret and answers the description it no longer has as null, and the destroy's DELETE
// answers 204 (met only here). The others are met alone elsewhere too (rotation:
// TestWebhookResource_secretFlowsToOtherResources; reversed events, and null for a deleted
// webhook: TestWebhookResource_afterCreate; a null description:
// TestWebhookResource_descriptionNoneNeverDiffs).
var sandboxModes = map[string]sandbox.Options{
	"default": {},
	"every other answer": {
		RotateSecretOnUpdate:   true,
		DeleteNoContent:        true,
		EmptyDescriptionAsNull: true,
		NoWebhookAnswer:        sandbox.NoWebhookNull,
		ReverseEvents:          true,
	},
	// An API that never returns the secret on update leaves it possibly stale after every update,
	// so its lifecycle differs: TestLifecycle_updateAnsweredNoSecret_fromInSync.
}

// The whole life of a webhook under each of sandboxModes: a create answered with the secret, the
// plans after it (a refresh of the same webhook), an update answered with the secret, an import,
// and a destroy, each with the API calls it costs.
func TestLifecycle_createAnsweredSecret_fromAbsent(t *testing.T) {
	t.Parallel()
	for name, opts := range sandboxModes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, opts)
			sameID := statecheck.CompareValue(compare.ValuesSame())
			var secret secretRecorder
			rotates := opts.RotateSecretOnUpdate

			tc := env.testCase(
				resource.TestStep{
					PreConfig: env.sandbox.ResetRequests,
					Config:    env.config(basicWebhook),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionCreate),
							plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
							expectCalls{env, "plan of a create", calls(0, 0, 0)},
						},
						// After the apply, plugin-testing plans twice, without and with refresh, and
						// fails unless both plans are empty: nothing to do, for one GET, and the
						// refresh kept the secret although GET never returns it.
						PostApplyPostRefresh: []plancheck.PlanCheck{
							expectCalls{env, "the plans after the create, the second refreshing", calls(1, 0, 0)},
							refreshedState{statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox())},
						},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						expectCalls{env, "create", calls(2, 1, 0)},
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi")),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("job.failed"), knownvalue.StringExact("model.processed"), knownvalue.StringExact("render.complete"),
						})),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.StringExact("acceptance test")),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.record()),
						statecheck.ExpectSensitiveValue(resourceName, tfjsonpath.New("secret")),
						sameID.AddStateValue(resourceName, tfjsonpath.New("id")),
					},
				},
				resource.TestStep{
					PreConfig: env.sandbox.ResetRequests,
					Config:    env.config(changedWebhook),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resourceName, tfjsonpath.New("secret")),
						plancheck.ExpectKnownValue(resourceName, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidPattern)),
						expectCalls{env, "refresh before an update", calls(1, 0, 0)},
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						expectCalls{env, "update", calls(0, 1, 0)},
						sameID.AddStateValue(resourceName, tfjsonpath.New("id")),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("url"), knownvalue.StringExact("https://hooks.example.com/glossi/v2")),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("description"), knownvalue.Null()),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), env.secretMatchesSandbox()),
						statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secret.expectChanged(rotates)),
					},
					// The plans after the apply, which plugin-testing fails unless empty, show the
					// update leaves nothing to do.
				},
				resource.TestStep{
					ResourceName:            resourceName,
					ImportState:             true,
					ImportStateVerify:       true,
					ImportStateVerifyIgnore: secretAttributes, // the API never returns the secret on GET
				},
				resource.TestStep{
					// After the import, nothing to do: the plan without refresh calls the API not
					// at all, the one with refresh once.
					PreConfig: env.sandbox.ResetRequests,
					Config:    env.config(changedWebhook),
					PlanOnly:  true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						expectCalls{env, "plans after the import, the second refreshing", calls(1, 0, 0)},
					}},
				},
			)
			// plugin-testing's destroy after the last step (terraform destroy -refresh=false):
			// Delete re-reads the webhook, then deletes it.
			tc.CheckDestroy = func(state *terraform.State) error {
				if err := (expectCalls{env, "destroy (a re-read, then the DELETE)", calls(1, 0, 1)}).check(); err != nil {
					return err
				}
				return env.checkDestroyed(state)
			}
			resource.UnitTest(t, tc)
		})
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// A create or update answered without a secret says what the state holds and how to get one:
//   - the create stores no secret nor any of its attributes, and the next plan is empty;
//   - an update of that webhook answered without a secret warns too;
//   - rotate_secret_triggers then gets a secret (version 1);
//   - an update answered without a secret keeps the stored one, which here still signs (the API
//     did not rotate it), but Terraform cannot know that: the next plan updates again, with the
//     secret unknown, and its answer confirms the same secret at the same version. Then the plan
//     is empty.
func TestLifecycle_createAnsweredNoSecret_fromAbsent(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "created the webhook",
		"secret in the Terraform state is unknown (null)", "set rotate_secret_triggers")
	ws.expectSecretAttributesNull(t)
	ws.expectNoChanges(t, "a create answered without a secret")

	updateWarning := []string{"Warning: Glossi Webhook Secret Not Returned", "updated the webhook",
		"secret in the Terraform state is unchanged and may be stale", "terraform apply -replace=<address>"}
	ws.writeConfig(t, changedWebhook)
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, updateWarning...)

	withTriggers := strings.Replace(changedWebhook, "enabled = false", "enabled = false\n  rotate_secret_triggers = { rotation = \"1\" }", 1)
	ws.writeConfig(t, withTriggers)
	_, change := ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	ws.expectSecretInSync(t, env, 1)

	ws.writeConfig(t, strings.Replace(withTriggers, "/glossi/v2", "/glossi/v3", 1))
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	out = ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, updateWarning...)
	ws.expectSecretInSync(t, env, 1)
	_, change = ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	ws.expectSecretInSync(t, env, 1) // the same secret, now confirmed: version unchanged
	ws.expectNoChanges(t, "an update that confirmed the secret")
}

// A create whose outcome is unknown (its answers came too late) leaves in state the settings it
// sent, without an id; the refresh that follows takes the account's webhook for the one it sent only
// if it has those settings.
func TestLifecycle_createNoDefiniteAnswer_fromAbsent(t *testing.T) {
	t.Parallel()
	// The create was applied but its answers came too late. A refresh then refused by the API fails,
	// and its error speaks of what that state holds (the settings the create sent, no webhook yet),
	// not of "the webhook in state". The next apply replaces the webhook the create made (tainted)
	// and stores a secret, without an import.
	t.Run("refused refresh, then replaced", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, sandbox.Options{})
		env.test(t,
			resource.TestStep{
				PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Create Outcome Unknown", "Run terraform apply again"),
			},
			resource.TestStep{
				PreConfig: func() {
					env.sandbox.ClearFaults()
					env.sandbox.InjectFault(sandbox.Fault{Method: "GET", Status: 400, Message: "bad request"})
				},
				Config: env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Error Reading Glossi Webhook", "The Glossi API refused the request",
					"Terraform changed nothing: the state still holds only the settings the unanswered create sent"),
			},
			resource.TestStep{
				PreConfig: func() {
					env.sandbox.ClearFaults()
					env.storedWebhook(t) // the lost create was applied
				},
				Config: env.impatientConfig(basicWebhook),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: append(env.expectSecretInSync(1),
					statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("previous_secret"), knownvalue.Null()),
				),
			},
		)
	})
	// The create's outcome is unknown, and then the account has a webhook with other settings: it is
	// not the one Terraform sent, so Terraform leaves it alone and says it exists.
	t.Run("another webhook left alone", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, sandbox.Options{})
		var foreign sandbox.Webhook
		resource.UnitTest(t, testCaseKeeping(
			resource.TestStep{
				PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Create Outcome Unknown"),
			},
			resource.TestStep{
				PreConfig: func() {
					env.sandbox.ClearFaults()
					foreign = env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
						URL: "https://other.example.com/hook", Events: []string{"job.complete"}, Enabled: true,
					})
				},
				Config:      env.impatientConfig(basicWebhook),
				ExpectError: expectWords("Glossi Webhook Already Exists"),
			},
		))
		got := env.storedWebhook(t)
		if got.ID != foreign.ID || got.Secret != foreign.Secret || got.URL != foreign.URL {
			t.Error("Terraform changed a webhook it did not create")
		}
	})
}

// An existing webhook is imported: the import warns that the secret is null, the state has no
// secret nor any of its attributes, and the next plan is empty. rotate_secret_triggers then gets
// the first secret: version 1, and not a rotation (no previous_secret, no secret_rotated_at).
func TestLifecycle_importWebhookRead_fromImportRequested(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	existing := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: "https://hooks.example.com/glossi", Events: []string{"model.processed", "render.complete", "job.failed"},
		Enabled: true, Description: ptr("acceptance test"),
	})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	out := ws.run(t, "import", "-no-color", resourceName, existing.ID)
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Available After Import", "set rotate_secret_triggers")
	if id := ws.stateID(t); id != existing.ID {
		t.Errorf("imported id %q, want %q", id, existing.ID)
	}
	ws.expectSecretAttributesNull(t)
	ws.expectNoChanges(t, "the import")

	ws.writeConfig(t, rotatedWebhook(1))
	_, change := ws.planSaved(t)
	change.expectUpdate(t, secretAttributes...)
	ws.applySaved(t)
	if id := ws.stateID(t); id != existing.ID {
		t.Errorf("the id changed from %q to %q when the secret was fetched", existing.ID, id)
	}
	ws.expectSecretInSync(t, env, 1)
	if attrs := ws.stateAttributes(t); attrs["previous_secret"] != nil || attrs["secret_rotated_at"] != nil {
		t.Errorf("previous_secret set %t, secret_rotated_at %v: the first secret is not a rotation",
			attrs["previous_secret"] != nil, attrs["secret_rotated_at"])
	}
	ws.expectNoChanges(t, "fetching the first secret")
}

// A refresh that finds the same webhook with the settings Terraform last wrote keeps "in sync",
// even where the secret is stale and no refresh can tell: two configurations with the same
// settings create the webhook at once, the first PUT applied late, on an API that rotates the
// secret on update (with other settings a refresh does tell:
// TestLifecycle_refreshSettingsChanged_fromInSync). The plan of the configuration that finished
// first is quiet, until rotate_secret_triggers changes, which stores the current secret.
func TestLifecycle_refreshSameWebhook_fromInSync(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	late := newSandboxWorkspace(t, env, basicWebhook)
	early := newSandboxWorkspace(t, env, basicWebhook)
	applyWithCreateLandingLate(t, env, late, early)
	late.expectSandboxSecret(t, env, "the late create")
	if early.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the late PUT did not rotate the secret: this test proves nothing")
	}

	out := early.run(t, "plan", "-no-color")
	expectOutput(t, out, "No changes.")
	expectNoOutput(t, out, "Warning: Glossi")
	early.writeConfig(t, rotatedWebhook(1))
	early.run(t, "apply", "-auto-approve", "-no-color")
	early.expectSandboxSecret(t, env, "after rotate_secret_triggers changed")
}

// A refresh that finds the same webhook keeps "replaced outside", and the id of the webhook
// Terraform created, which the plan of a destroy names. In process.
func TestLifecycle_refreshSameWebhook_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	from := webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}
	got := c.read(t, from, c.state(t, true))
	got.expect(t, from)
	if got.state.Secret.ValueString() != c.webhook.Secret {
		t.Error("the refresh lost the secret in state")
	}
}

// applyWithCreateLandingLate applies late and, while the sandbox holds late's create PUT, applies
// early; then it releases the PUT, so that late's create lands after early's finished. Both
// applies must succeed: the API has no conditional create, so neither can tell.
func applyWithCreateLandingLate(t *testing.T, env *testEnv, late, early *cliWorkspace) {
	t.Helper()
	release, held := make(chan struct{}), make(chan struct{})
	env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, ApplyWhen: release, OnHold: func() { close(held) }})

	var wg sync.WaitGroup
	var lateOut string
	var lateErr error
	wg.Go(func() { lateOut, lateErr = late.tryRun(t, "apply", "-auto-approve", "-no-color") })
	select {
	case <-held: // late's PUT reached the API, which applies it only once released
	case <-time.After(2 * time.Minute):
		close(release)
		t.Fatal("the late create's PUT never reached the sandbox")
	}
	earlyOut, earlyErr := early.tryRun(t, "apply", "-auto-approve", "-no-color")
	close(release)
	wg.Wait()
	if earlyErr != nil {
		t.Fatalf("the early create failed:\n%s", earlyOut)
	}
	if lateErr != nil {
		t.Fatalf("the late create failed:\n%s", lateOut)
	}
}

// Two configurations create the same account's webhook at once, and the first PUT is applied
// late, after the second create finished. Both creates succeed: the API has no conditional
// create, so neither can tell. The second's next refresh finds the settings changed, says its
// secret may be stale and plans an update that stores the current one.
func TestLifecycle_refreshSettingsChanged_fromInSync(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	first := newSandboxWorkspace(t, env, strings.Replace(basicWebhook, "/glossi", "/first", 1))
	second := newSandboxWorkspace(t, env, strings.Replace(basicWebhook, "/glossi", "/second", 1))
	applyWithCreateLandingLate(t, env, first, second)
	if second.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the late PUT did not rotate the secret: this test proves nothing")
	}

	out := second.run(t, "plan", "-no-color")
	expectOutput(t, out, "1 to change")
	expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale", "changed outside Terraform")
	second.run(t, "apply", "-auto-approve", "-no-color")
	if second.stateSecret(t) != env.storedWebhook(t).Secret {
		t.Error("after the second apply, its state's secret is not the sandbox's")
	}
}

// Settings changed outside Terraform leave an imported webhook "no secret", and imported: there is
// no secret to call stale. In process.
func TestLifecycle_refreshSettingsChanged_fromNoSecret(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	c.env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.URL = "https://other-writer.example.com/hook" })
	from := webhookLifecycle{State: lifecycleNoSecret, Imported: true}
	got := c.read(t, from, c.state(t, false))
	got.expect(t, from)
	if got.state.URL.ValueString() != "https://other-writer.example.com/hook" {
		t.Errorf("the refresh read url %s, want the other writer's", got.state.URL)
	}
}

// Settings changed outside Terraform leave "replaced outside" as it is: its plan already stores
// the current secret. In process.
func TestLifecycle_refreshSettingsChanged_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	c.env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.URL = "https://other-writer.example.com/hook" })
	from := webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}
	c.read(t, from, c.state(t, true)).expect(t, from)
}

// Someone deletes the webhook and creates the same one again: new id, new secret. The plan warns,
// naming both ids and neither secret, and updates the webhook with the secret unknown; the apply
// stores the new webhook's id and secret, and the next plan is empty.
func TestLifecycle_refreshAnotherWebhook_fromInSync(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	old := env.storedWebhook(t)
	env.sandbox.DeleteWebhook(testAPIKey)
	replacement := env.sandbox.SetWebhook(testAPIKey, sandbox.Webhook{
		URL: old.URL, Events: old.Events, Enabled: old.Enabled, Description: old.Description,
	})

	out, change := ws.planSaved(t)
	expectOutput(t, out, "Warning: Glossi Webhook Replaced Outside Terraform", fmt.Sprintf("now has id %q instead of %q", replacement.ID, old.ID))
	expectOutput(t, out, "1 to change")
	expectNoSecret(t, "the plan", out, replacement.Secret, old.Secret)
	change.expectUpdate(t, "secret")
	ws.applySaved(t)
	if id := ws.stateID(t); id == old.ID || id != replacement.ID {
		t.Errorf("state id %q: want the new webhook's id", id)
	}
	if ws.stateSecret(t) != env.storedWebhook(t).Secret {
		t.Error("the secret in state is not the new webhook's")
	}
	ws.expectNoChanges(t, "adopting the replacement")
}

// expectReplacedOutside checks that a refresh from "from" that found replacement instead of the
// webhook in state says so, and moves to "replaced outside" naming the webhook Terraform created
// or imported (createdID): the earliest replaced id wins.
func expectReplacedOutside(t *testing.T, c *lifecycleCall, from webhookLifecycle, withSecret bool, createdID string) {
	t.Helper()
	replacement := c.env.replaceOutside(t)
	got := c.read(t, from, c.state(t, withSecret))
	want := from
	want.State, want.ReplacedID = lifecycleReplacedOutside, createdID
	got.expect(t, want, "Glossi Webhook Replaced Outside Terraform")
	if got.state.ID.ValueString() != replacement.ID {
		t.Errorf("the refresh left id %s in state, want the replacement's %q", got.state.ID, replacement.ID)
	}
}

// An imported webhook replaced outside Terraform: "replaced outside", still imported. In process.
func TestLifecycle_refreshAnotherWebhook_fromNoSecret(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectReplacedOutside(t, c, webhookLifecycle{State: lifecycleNoSecret, Imported: true}, false, c.webhook.ID)
}

// A webhook whose secret may be stale, replaced outside Terraform: "replaced outside". In process.
func TestLifecycle_refreshAnotherWebhook_fromMayBeStale(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectReplacedOutside(t, c, webhookLifecycle{State: lifecycleSecretMayBeStale}, true, c.webhook.ID)
}

// A replacement replaced again: still "replaced outside", naming the webhook Terraform created. In
// process.
func TestLifecycle_refreshAnotherWebhook_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectReplacedOutside(t, c, webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}, true, "created-id")
}

// A lost create, and then the account's webhook has settings other than those it sent: someone
// else's. The refresh warns, naming it, and the resource leaves the state with the webhook
// untouched, so that the next plan creates the webhook (whose existence check then refuses:
// TestLifecycle_createNoDefiniteAnswer_fromAbsent). In process.
func TestLifecycle_refreshAnotherWebhook_fromCreateUnknown(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	const otherURL = "https://other-writer.example.com/hook"
	c.env.sandbox.UpdateWebhook(testAPIKey, func(w *sandbox.Webhook) { w.URL = otherURL })
	got := c.read(t, webhookLifecycle{State: lifecycleCreateUnknown}, c.sent(t))
	got.expect(t, newLifecycle(), "Glossi Webhook Not Created By Terraform")
	if len(got.diags) > 0 && !strings.Contains(got.diags[0].Detail(), c.webhook.ID) {
		t.Errorf("the warning does not name the account's webhook %q: %s", c.webhook.ID, got.diags[0].Detail())
	}
	expectCalls{c.env, "the refresh", calls(1, 0, 0)}.expect(t)
	if w := c.env.storedWebhook(t); w.ID != c.webhook.ID || w.URL != otherURL || w.Secret != c.webhook.Secret {
		t.Error("the refresh changed a webhook Terraform did not create")
	}
}

// expectRefreshRemoves checks that a refresh of state from "from", once the account has no
// webhook, removes the resource from the state without a diagnostic, after one GET and no write:
// the next plan creates the webhook.
func expectRefreshRemoves(t *testing.T, c *lifecycleCall, from webhookLifecycle, state webhookResourceModel) {
	t.Helper()
	c.env.sandbox.DeleteWebhook(testAPIKey)
	c.read(t, from, state).expect(t, newLifecycle())
	expectCalls{c.env, "the refresh", calls(1, 0, 0)}.expect(t)
}

// The webhook deleted outside Terraform leaves the state. In process.
func TestLifecycle_refreshNoWebhook_fromInSync(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectRefreshRemoves(t, c, webhookLifecycle{}, c.state(t, true))
}

// An imported webhook deleted outside Terraform leaves the state. In process.
func TestLifecycle_refreshNoWebhook_fromNoSecret(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectRefreshRemoves(t, c, webhookLifecycle{State: lifecycleNoSecret, Imported: true}, c.state(t, false))
}

// A webhook whose secret may be stale, deleted outside Terraform, leaves the state. In process.
func TestLifecycle_refreshNoWebhook_fromMayBeStale(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectRefreshRemoves(t, c, webhookLifecycle{State: lifecycleSecretMayBeStale}, c.state(t, true))
}

// A webhook replaced outside Terraform, then deleted, leaves the state, and the id it
// remembered with it. In process.
func TestLifecycle_refreshNoWebhook_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectRefreshRemoves(t, c, webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}, c.state(t, true))
}

// A create that got no definite answer and was in fact not applied: the refresh finds no webhook,
// and the resource leaves the state without an error, so that the next plan creates it again. In
// process.
func TestLifecycle_refreshNoWebhook_fromCreateUnknown(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	expectRefreshRemoves(t, c, webhookLifecycle{State: lifecycleCreateUnknown}, c.sent(t))
}

// A lost create on an API that normalizes the URL: the next refresh recognizes the webhook by
// equivalent settings, and the next apply replaces it to store a secret.
func TestLifecycle_refreshSentSettingsFound_fromCreateUnknown(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{NormalizeURL: true})
	config := env.impatientConfig(strings.Replace(basicWebhook, "https://hooks.example.com/glossi", "https://Hooks.Example.com", 1))
	env.test(t,
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      config,
			ExpectError: expectWords("Glossi Webhook Create Outcome Unknown"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				if got := env.storedWebhook(t).URL; got != "https://hooks.example.com/" {
					t.Errorf("the sandbox stored %q: it did not normalize the URL", got)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: env.expectSecretInSync(1),
		},
	)
}

// Under an API that returns the secret only on create, an update leaves the secret possibly
// stale: the apply warns, the next plan warns and plans an update, and replacing the webhook, as
// the warning advises, converges to the sandbox's secret and an empty plan.
func TestLifecycle_updateAnsweredNoSecret_fromInSync(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{OmitSecretOnUpdate: true, RotateSecretOnUpdate: true})
	ws := newSandboxWorkspace(t, env, basicWebhook)
	ws.run(t, "apply", "-auto-approve", "-no-color")
	ws.writeConfig(t, changedWebhook)

	out := ws.run(t, "apply", "-auto-approve", "-no-color")
	expectOutput(t, out, "Warning: Glossi Webhook Secret Not Returned", "terraform apply -replace=<address>")
	if ws.stateSecret(t) == env.storedWebhook(t).Secret {
		t.Fatal("the update did not rotate the secret: this test proves nothing")
	}
	out = ws.run(t, "plan", "-no-color")
	expectOutput(t, out, "1 to change, 0 to destroy", "Warning: Glossi Webhook Secret May Be Stale",
		"terraform apply -replace=<address>")

	out = ws.run(t, "apply", "-auto-approve", "-no-color", "-replace=glossi_webhook.test")
	expectOutput(t, out, "1 added, 0 changed, 1 destroyed")
	ws.expectSandboxSecret(t, env, "after the replace")
	out = ws.run(t, "plan", "-no-color", "-detailed-exitcode")
	expectOutput(t, out, "No changes.")
	expectNoOutput(t, out, "Warning: Glossi")
}

// After "Update Outcome Unknown", the healing update is answered without a secret: the secret
// stays "may be stale" and the next apply, answered with one, stores it.
func TestLifecycle_updateAnsweredNoSecret_fromMayBeStale(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
	env.test(t,
		resource.TestStep{Config: env.impatientConfig(basicWebhook)},
		resource.TestStep{
			PreConfig:   func() { env.sandbox.InjectPutFault(lateAnswer) },
			Config:      env.impatientConfig(changedWebhook),
			ExpectError: expectWords("Glossi Webhook Update Outcome Unknown"),
		},
		resource.TestStep{
			PreConfig: func() {
				env.sandbox.ClearFaults()
				env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
			},
			Config:             env.impatientConfig(changedWebhook),
			ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
			ExpectNonEmptyPlan: true, // still "may be stale": the next plan updates again
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("secret"), secretDiffersFromSandbox(env)),
			},
		},
		resource.TestStep{
			Config:            env.impatientConfig(changedWebhook),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
			ConfigStateChecks: env.expectSecretInSync(2),
		},
	)
}

// secretDiffersFromSandbox checks that the state's secret is not the sandbox's: the state is
// stale, which is why the lifecycle must not call it in sync.
func secretDiffersFromSandbox(env *testEnv) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if w, ok := env.sandbox.Webhook(testAPIKey); ok && w.Secret == got {
			return errors.New("the state's secret is the sandbox's: this step proves nothing")
		}
		return nil
	})
}

// The update that adopts a replacement, answered without a secret: Terraform wrote its settings
// into the account's webhook, so the replaced id is forgotten, and the secret it kept "may be
// stale". In process.
func TestLifecycle_updateAnsweredNoSecret_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	c.env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, OmitSecret: true})
	state := c.state(t, true)
	got := c.update(t, webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}, renewing(state), state)
	got.expect(t, webhookLifecycle{State: lifecycleSecretMayBeStale}, "Glossi Webhook Secret Not Returned")
	if got.state.Secret.ValueString() != c.webhook.Secret {
		t.Error("the update answered without a secret did not keep the stored one")
	}
}

// An update whose outcome is unknown makes the stored secret "may be stale"; the refresh that
// follows finds the settings it wrote (settings changed, still may be stale), and the next apply
// stores the secret the API has (update answered, secret).
func TestLifecycle_updateNoDefiniteAnswer_fromInSync(t *testing.T) {
	t.Parallel()
	// The update was applied (and rotated the secret) but its answers came too late: the apply fails
	// saying so, and the next plan says why it updates the webhook although the refreshed settings
	// match, with every secret attribute unknown. Its apply stores the secret the API has, and the
	// lost secret as previous_secret; the next plan is empty.
	t.Run("answers too late", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
		ws := newSandboxWorkspace(t, env, impatientProvider+basicWebhook)
		ws.run(t, "apply", "-auto-approve", "-no-color")
		first := ws.stateSecret(t)
		ws.writeConfig(t, impatientProvider+changedWebhook)
		env.sandbox.InjectPutFault(lateAnswer)
		out, err := ws.tryRun(t, "apply", "-auto-approve", "-no-color")
		if err == nil {
			t.Fatalf("the apply whose answers were lost succeeded:\n%s", out)
		}
		expectOutput(t, out, "Glossi Webhook Update Outcome Unknown", "secret in the Terraform state may now be stale")
		env.sandbox.ClearFaults()
		if env.storedWebhook(t).Secret == first {
			t.Error("the sandbox did not apply the update whose answer was lost")
		}

		out, change := ws.planSaved(t)
		expectOutput(t, out, "Warning: Glossi Webhook Secret May Be Stale", "an update's outcome was unknown")
		expectOutput(t, out, "1 to change")
		change.expectUpdate(t, secretAttributes...)
		ws.applySaved(t)
		ws.expectSecretInSync(t, env, 2)
		if previous, _ := ws.stateAttributes(t)["previous_secret"].(string); first == "" || previous != first {
			t.Error("previous_secret is not the secret stored before the lost update")
		}
		ws.expectNoChanges(t, "healing the lost update")
	})
	// The update's first attempt was applied and answered 502, its retry refused with 409. The
	// whole call is uncertain, so the secret is marked stale and the next apply heals it.
	t.Run("an applied attempt, its retry refused", func(t *testing.T) {
		t.Parallel()
		env := newTestEnv(t, sandbox.Options{RotateSecretOnUpdate: true})
		env.test(t,
			resource.TestStep{Config: env.config(basicWebhook)},
			resource.TestStep{
				PreConfig: func() {
					env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Count: 1}) // the first PUT goes through...
					env.sandbox.InjectPutFault(sandbox.PutFault{Count: 1, AnswerStatus: 502})
					env.sandbox.InjectFault(sandbox.Fault{Method: "PUT", Count: 1, Status: 409, Message: "conflict"})
				},
				Config: env.config(urlOnlyChange),
				ExpectError: expectWords("Glossi Webhook Update Outcome Unknown", "may now be stale",
					"409 Conflict", "attempt 1 (502 Bad Gateway) got no definite answer"),
			},
			resource.TestStep{
				PreConfig:         env.sandbox.ClearFaults,
				Config:            env.config(urlOnlyChange),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectSecretPlanned()},
				ConfigStateChecks: env.expectSecretInSync(2), // the second secret stored, the third the API issued
			},
		)
	})
}

// expectUncertainUpdate checks that an update from "from", to plan, whose answers come too late,
// fails saying so and leaves the lifecycle want.
func expectUncertainUpdate(t *testing.T, c *lifecycleCall, from webhookLifecycle, plan, state webhookResourceModel, want webhookLifecycle) {
	t.Helper()
	c.env.sandbox.InjectPutFault(lateAnswer)
	c.update(t, from, plan, state).expect(t, want, "Glossi Webhook Update Outcome Unknown")
	if c.env.sandbox.CountRequests("PUT") == 0 {
		t.Error("the update sent no PUT: this test proves nothing")
	}
}

// An imported webhook's update gets no definite answer: still "no secret" (there is none to call
// stale), and imported. In process.
func TestLifecycle_updateNoDefiniteAnswer_fromNoSecret(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	state := c.state(t, false)
	plan := state
	plan.URL = types.StringValue("https://hooks.example.com/glossi/v2")
	from := webhookLifecycle{State: lifecycleNoSecret, Imported: true}
	expectUncertainUpdate(t, c, from, plan, state, from)
}

// The update that stores a new secret gets no definite answer: still "may be stale". In process.
func TestLifecycle_updateNoDefiniteAnswer_fromMayBeStale(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	state := c.state(t, true)
	from := webhookLifecycle{State: lifecycleSecretMayBeStale}
	expectUncertainUpdate(t, c, from, renewing(state), state, from)
}

// The update that adopts a replacement gets no definite answer: still "replaced outside", naming
// the webhook Terraform created. In process.
func TestLifecycle_updateNoDefiniteAnswer_fromReplacedOutside(t *testing.T) {
	t.Parallel()
	c := newLifecycleCall(t)
	state := c.state(t, true)
	from := webhookLifecycle{State: lifecycleReplacedOutside, ReplacedID: "created-id"}
	expectUncertainUpdate(t, c, from, renewing(state), state, from)
}

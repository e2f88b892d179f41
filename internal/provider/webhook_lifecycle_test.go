package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestWebhookLifecycle_table walks the transition table of webhook_lifecycle.go, every step from
// every state: a cell missing from the code, or one that moves elsewhere, fails here.
func TestWebhookLifecycle_table(t *testing.T) {
	const (
		absent  = lifecycleAbsent
		inSync  = lifecycleInSync
		none    = lifecycleNoSecret
		stale   = lifecycleSecretMayBeStale
		elsewhr = lifecycleReplacedOutside
		unknown = lifecycleCreateUnknown
		same    = lifecycleState("unchanged") // no cell: the step leaves the lifecycle as it is
	)
	from := []lifecycleState{absent, inSync, none, stale, elsewhr, unknown}
	table := map[lifecycleStep][]lifecycleState{
		//                          absent   in sync  none     stale    replaced  create unknown
		stepCreatedWithSecret: {inSync, same, same, same, same, same},
		stepCreatedNoSecret:   {none, same, same, same, same, same},
		stepCreateUncertain:   {unknown, same, same, same, same, same},
		stepImported:          {none, same, same, same, same, same},
		stepRefreshSame:       {same, inSync, none, stale, elsewhr, same},
		stepRefreshChanged:    {same, stale, none, stale, elsewhr, same},
		stepRefreshAnother:    {same, elsewhr, elsewhr, elsewhr, elsewhr, same},
		stepRefreshSentFound:  {same, same, same, same, same, none},
		stepUpdatedWithSecret: {same, inSync, inSync, inSync, inSync, same},
		stepUpdatedNoSecret:   {same, stale, none, stale, stale, same},
		stepUpdateUncertain:   {same, stale, none, stale, elsewhr, same},
	}
	if len(table) != len(lifecycleTable) {
		t.Fatalf("the test walks %d steps, the lifecycle has %d", len(table), len(lifecycleTable))
	}
	for step, want := range table {
		for i, state := range from {
			got := webhookLifecycle{State: state}.after(step, "id-1").State
			expected := want[i]
			if expected == same {
				expected = state
			}
			if got != expected {
				t.Errorf("%s from %q: got %q, want %q", step, state, got, expected)
			}
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
		{State: lifecycleCreateUnknown},
	} {
		private := memoryPrivate{}
		if diags := saveLifecycle(ctx, private, l); diags.HasError() {
			t.Fatal(diags)
		}
		if l == (webhookLifecycle{}) && len(private) != 0 {
			t.Errorf("in sync is stored as %q, want no key", private)
		}
		got, _ := loadLifecycle(ctx, private)
		if got != l {
			t.Errorf("round trip of %+v gave %+v", l, got)
		}
	}
	if got, _ := loadLifecycle(ctx, memoryPrivate{privateLifecycle: []byte(`"not an object"`)}); got != (webhookLifecycle{}) {
		t.Errorf("an unreadable lifecycle gave %+v, want in sync", got)
	}
}

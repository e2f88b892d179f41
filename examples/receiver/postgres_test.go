package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
)

// Two receivers started with --postgres on one database record a delivery
// once, in glossi_receiver_events, whichever of them gets it; the tables
// are created when they start, and the log never shows the DSN's password.
func TestRun_postgresSharedByTwoReceivers(t *testing.T) {
	db := pgtest.NewDatabase(t)
	pool := db.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `ALTER USER postgres PASSWORD 'pw-never-logged'`); err != nil {
		t.Fatal(err)
	}
	dsn := strings.Replace(db.DSN, "postgres@", "postgres:pw-never-logged@", 1)
	env := map[string]string{"GLOSSI_WEBHOOK_SECRET": secret}
	a := startReceiver(t, []string{"--postgres", dsn}, env)
	b := startReceiver(t, []string{"--postgres", dsn}, env)
	a.waitLog(t, "deduplicating on PostgreSQL at 127.0.0.1:")
	body := []byte(`{"event":"render.complete","timestamp":"` + time.Now().UTC().Format(time.RFC3339Nano) + `","data":{"jobId":"j-pg"}}`)

	first, text1 := a.post(t, body)
	retry, text2 := b.post(t, body)
	if first != http.StatusOK || text1 != "OK" || retry != http.StatusOK || text2 != "duplicate delivery ignored" {
		t.Errorf("receiver a: %d %q (want 200 OK); the same delivery to receiver b: %d %q (want 200 duplicate delivery ignored)", first, text1, retry, text2)
	}
	var rows int
	var eventType string
	if err := pool.QueryRow(ctx, `SELECT count(*), min(event_type) FROM glossi_receiver_events`).Scan(&rows, &eventType); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || eventType != "render.complete" {
		t.Errorf("glossi_receiver_events: %d rows of %q, want 1 of render.complete", rows, eventType)
	}
	for _, r := range []receiver{a, b} {
		if strings.Contains(r.logs.String(), "pw-never-logged") {
			t.Errorf("the log shows the DSN's password:\n%s", r.logs.String())
		}
	}
}

// The SQL the README shows is the SQL the receiver runs when it starts.
func TestREADME_showsTheReceiversSQL(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(readme), "```sql\n")
	block, _, _ = strings.Cut(block, "```")
	if want := pgdedup.New(nil, "").Schema() + eventsSchema + "\n"; block != want {
		t.Errorf("README's SQL:\n%s\nwant what the receiver runs:\n%s", block, want)
	}
}

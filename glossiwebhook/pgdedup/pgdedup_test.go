package pgdedup_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
	"github.com/glossi/terraform-provider-glossi/internal/pgtest"
)

// A claim holds the delivery until Done or Release, on this Deduper and on
// another replica's; a copy gets InProgress without waiting for the lock
// (claim fails on a wait: its context ends after 10 s, and the claim is held
// for longer); Done keeps it done for the TTL whatever comes after.
func TestDeduper_claimDoneRelease(t *testing.T) {
	t.Parallel()
	_, pool, d := start(t)
	other := pgdedup.New(pool, "")
	ctx := context.Background()

	token := claim(t, d, "k1", glossiwebhook.Claimed)
	claim(t, other, "k1", glossiwebhook.InProgress)
	claim(t, d, "k1", glossiwebhook.InProgress)
	if err := d.Release(ctx, "k1", token); err != nil {
		t.Fatal(err)
	}
	token = claim(t, other, "k1", glossiwebhook.Claimed)
	if err := other.Done(ctx, "k1", token, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", glossiwebhook.AlreadyDone)
	if err := other.Release(ctx, "k1", token); err != nil {
		t.Fatal(err)
	}
	claim(t, d, "k1", glossiwebhook.AlreadyDone) // Release after Done keeps it done
	if left := expiresIn(t, pool, "k1"); left < 4*time.Minute || left > 5*time.Minute {
		t.Errorf("done row expires in %v, want the dedup TTL (5m)", left)
	}
	if err := d.Done(ctx, "k1", token, time.Minute); err == nil {
		t.Error("Done with a token no claim holds succeeded")
	}
}

// The business write and the done mark commit together: a handler's write
// is seen only after Done, and Release drops it with the claim.
func TestDeduper_handlerWriteCommitsWithDone(t *testing.T) {
	t.Parallel()
	_, pool, d := start(t)
	ctx := context.Background()

	token := claim(t, d, "rolled-back", glossiwebhook.Claimed)
	writeOrder(t, d, "rolled-back", token)
	if err := d.Release(ctx, "rolled-back", token); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, "rolled-back"); n != 0 {
		t.Fatalf("a released claim left %d business rows, want 0", n)
	}
	token = claim(t, d, "rolled-back", glossiwebhook.Claimed) // the retry is handled
	writeOrder(t, d, "rolled-back", token)
	if n := count(t, pool, "rolled-back"); n != 0 {
		t.Fatalf("%d business rows visible before Done, want 0", n)
	}
	if err := d.Done(ctx, "rolled-back", token, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, "rolled-back"); n != 1 {
		t.Fatalf("%d business rows after Done, want 1", n)
	}
	if _, ok := pgdedup.TxFromContext(d.HandlerContext(ctx, "rolled-back", token)); ok {
		t.Error("a done claim's token still gives a transaction")
	}
}

// A crash between the business write and the commit leaves nothing: the
// process holding the claim loses its connection (as when it is killed),
// PostgreSQL rolls its transaction back, and the next copy, on another
// replica, is handled: one business row in all.
func TestDeduper_crashBeforeCommitLeavesNothing(t *testing.T) {
	t.Parallel()
	srv, pool, crashing := start(t)
	token := claim(t, crashing, "k", glossiwebhook.Claimed)
	writeOrder(t, crashing, "k", token)
	tx, _ := pgdedup.TxFromContext(crashing.HandlerContext(context.Background(), "k", token))
	if err := tx.Conn().PgConn().Conn().Close(); err != nil { // the socket closes, as the kernel closes a killed process's
		t.Fatal(err)
	}
	crashed := token
	defer func() { _ = crashing.Release(context.Background(), "k", crashed) }() // returns the dead connection to the pool

	other := pgdedup.New(srv.Pool(t), "")
	deadline := time.Now().Add(10 * time.Second)
	var status glossiwebhook.ClaimStatus
	for {
		var err error
		status, token, err = other.Claim(context.Background(), "k", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if status != glossiwebhook.InProgress || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond) // the server has not yet read the end of the connection
	}
	if status != glossiwebhook.Claimed {
		t.Fatalf("the next copy after the crash: %v, want Claimed", status)
	}
	if n := count(t, pool, "k"); n != 0 {
		t.Fatalf("the crashed handler's write survived: %d rows", n)
	}
	writeOrder(t, other, "k", token)
	if err := other.Done(context.Background(), "k", token, time.Hour); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, "k"); n != 1 {
		t.Fatalf("%d business rows after the next copy was handled, want 1", n)
	}
}

// The table exists only once Migrate made it; its name is configurable,
// schema included, and Migrate can run again.
func TestDeduper_migrateIsExplicit(t *testing.T) {
	t.Parallel()
	_, pool, _ := start(t)
	ctx := context.Background()
	d := pgdedup.New(pool, "hooks.Deliveries")
	if _, _, err := d.Claim(ctx, "k", time.Minute); err == nil || !strings.Contains(err.Error(), `"hooks.Deliveries" does not exist`) {
		t.Fatalf("Claim before Migrate: %v, want an error naming the missing table", err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA hooks`); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(d.Schema(), `CREATE TABLE IF NOT EXISTS "hooks"."Deliveries"`) {
		t.Errorf("Schema():\n%s", d.Schema())
	}
	if err := d.Done(ctx, "k", claim(t, d, "k", glossiwebhook.Claimed), time.Hour); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM hooks."Deliveries"`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows in the configured table: %d, %v", n, err)
	}
}

// DeleteExpired deletes at most limit rows a call, expired ones only, and
// skips the row a claim holds.
func TestDeduper_deleteExpiredIsBounded(t *testing.T) {
	t.Parallel()
	_, pool, d := start(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO `+pgdedup.DefaultTable+` (dedup_key, expires_at)
		SELECT 'old' || n, now() - interval '1 minute' FROM generate_series(1, 250) n`); err != nil {
		t.Fatal(err)
	}
	live := claim(t, d, "live", glossiwebhook.Claimed)
	if err := d.Done(ctx, "live", live, time.Hour); err != nil {
		t.Fatal(err)
	}
	held := claim(t, d, "old1", glossiwebhook.Claimed) // an expired row a claim holds
	defer func() { _ = d.Release(ctx, "old1", held) }()
	var got []int64
	for range 4 {
		n, err := d.DeleteExpired(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	if want := []int64{100, 100, 49, 0}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("DeleteExpired(100) deleted %v in turn, want %v", got, want)
	}
	claim(t, d, "live", glossiwebhook.AlreadyDone)
	claim(t, d, "old1", glossiwebhook.InProgress)
}

// A restart of PostgreSQL keeps the deliveries done and rolls back the claim
// in flight: its Done fails (Deduplicate answers 503) and the next copy is
// handled.
func TestDeduper_storeRestart(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	pool := srv.Pool(t)
	d := pgdedup.New(pool, "")
	ctx := context.Background()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.Done(ctx, "handled", claim(t, d, "handled", glossiwebhook.Claimed), time.Hour); err != nil {
		t.Fatal(err)
	}
	inFlight := claim(t, d, "in flight", glossiwebhook.Claimed)
	srv.Stop()
	srv.Restart(t)
	pool.Reset() // the idle connections died with the server; a receiver would answer 503 once per dead one
	if err := d.Done(ctx, "in flight", inFlight, time.Hour); err == nil {
		t.Fatal("Done of a claim whose transaction the restart rolled back succeeded")
	}
	claim(t, d, "handled", glossiwebhook.AlreadyDone)
	if err := d.Release(ctx, "in flight", claim(t, d, "in flight", glossiwebhook.Claimed)); err != nil {
		t.Fatal(err)
	}
}

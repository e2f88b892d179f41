package pgdedup_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/pgdedup"
)

// Every replica of the receiver runs this; they share one database, and the
// handler's write commits with the delivery's done mark, or not at all.
func ExampleNew() {
	ctx := context.Background()
	v, err := glossiwebhook.NewVerifier(os.Getenv("GLOSSI_WEBHOOK_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	// Each delivery being handled holds a connection: size the pool for them.
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL")+"?pool_max_conns=32")
	if err != nil {
		log.Fatal(err)
	}
	d := pgdedup.New(pool, "")
	if err := d.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	go func() { // bounded work each minute
		for range time.Tick(time.Minute) {
			if _, err := d.DeleteExpired(ctx, 10_000); err != nil {
				log.Print(err)
			}
		}
	}()
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		tx, _ := pgdedup.TxFromContext(r.Context())
		_, err := tx.Exec(r.Context(), `INSERT INTO events (dedup_key, event_type) VALUES ($1, $2)`, ev.DedupKey(), ev.Type)
		if err != nil {
			http.Error(w, "could not record the event", http.StatusInternalServerError) // rolled back; Glossi retries
			return
		}
		w.WriteHeader(http.StatusOK) // sent once the transaction has committed
	})
	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(d, handle)))
}

package redisdedup_test

import (
	"log"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
	"github.com/glossi/terraform-provider-glossi/glossiwebhook/redisdedup"
)

// Every replica of the receiver runs this; they share one Redis, so each
// delivery is handled once whichever replica Glossi reaches.
func ExampleNew() {
	v, err := glossiwebhook.NewVerifier(os.Getenv("GLOSSI_WEBHOOK_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{
		Addr:        os.Getenv("REDIS_ADDR"),
		DialTimeout: 2 * time.Second, // fail (503) well before Glossi's 30 s
		ReadTimeout: 2 * time.Second,
	})
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		log.Printf("handling %s", ev.Type)
	})
	http.Handle("POST /webhooks/glossi", v.Middleware(glossiwebhook.Deduplicate(redisdedup.New(rdb, ""), handle)))
}

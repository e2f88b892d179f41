package glossiwebhook_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// Examples of deduplication and secret rotation.

func ExampleDeduplicate() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	attempts := 0
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		if attempts == 1 {
			http.Error(w, "database down", http.StatusInternalServerError) // released: the retry is handled
			return
		}
		fmt.Fprintln(w, "stored")
	})
	handler := v.Middleware(glossiwebhook.Deduplicate(glossiwebhook.NewMemoryDeduper(0), handle,
		glossiwebhook.WithLease(45*time.Second), glossiwebhook.WithDedupTTL(65*time.Minute)))
	for range 3 { // the first attempt and two retries of one delivery
		r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
		r.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(exampleBody, exampleSecret))
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%d %s", w.Code, w.Body)
	}
	// Output:
	// 500 database down
	// 200 stored
	// 200 duplicate delivery ignored
}

func ExampleNewMemoryDeduper() {
	ctx := context.Background()
	d := glossiwebhook.NewMemoryDeduper(1)
	status, token, err := d.Claim(ctx, "a", time.Minute)
	fmt.Println(status == glossiwebhook.Claimed, token != "", err)
	status, _, _ = d.Claim(ctx, "a", time.Minute)
	fmt.Println(status == glossiwebhook.InProgress)
	fmt.Println(d.Release(ctx, "a", "another claim's token")) // not this claim's: kept
	status, _, _ = d.Claim(ctx, "a", time.Minute)
	fmt.Println(status == glossiwebhook.InProgress)
	fmt.Println(d.Done(ctx, "a", token, time.Hour))
	status, _, _ = d.Claim(ctx, "a", time.Minute)
	fmt.Println(status == glossiwebhook.AlreadyDone)
	_, _, err = d.Claim(ctx, "b", time.Minute) // full: refused, "a" is not forgotten
	fmt.Println(err)
	// Output:
	// true true <nil>
	// true
	// <nil>
	// true
	// <nil>
	// true
	// glossiwebhook: memory deduper full: 1 deliveries within their TTL (see NewMemoryDeduper)
}

func ExampleWithPreviousSecret() {
	// The secret was rotated at 10:00 (secret_rotated_at): "whsec_old" signed
	// deliveries until then, and Glossi retries them for a while (package doc).
	rotatedAt := time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)
	v, err := glossiwebhook.NewVerifier("whsec_new",
		glossiwebhook.WithPreviousSecret("whsec_old", rotatedAt.Add(time.Hour)),
		glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	for _, secret := range []string{"whsec_new", "whsec_old", "whsec_older"} {
		fmt.Println(secret, v.Verify(exampleBody, glossiwebhook.Sign(exampleBody, secret)))
	}
	// Output:
	// whsec_new <nil>
	// whsec_old <nil>
	// whsec_older glossiwebhook: signature mismatch
}

func ExampleVerifier_SetSecrets() {
	v, err := glossiwebhook.NewVerifier("whsec_old")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Later, the secret files changed (or SIGHUP): take the new secret, keep
	// the old one for an hour.
	if err := v.SetSecrets("whsec_new", "whsec_old", time.Date(2025, 1, 15, 11, 0, 0, 0, time.UTC)); err != nil {
		log.Fatal(err) // the Verifier keeps its secrets
	}
	fmt.Println(v)
	fmt.Println(v.SetSecrets("whsec_new\n", "", time.Time{}))
	// Output:
	// glossiwebhook.Verifier{secret: 3d269a69854f425b, tolerance: -1h0m0s/+5m0s, maxBodyBytes: 1048576, readTimeout: 10s}
	// glossiwebhook.Verifier{secret: 06626a5e2964da7c, previous: 3d269a69854f425b until 2025-01-15T11:00:00Z, tolerance: -1h0m0s/+5m0s, maxBodyBytes: 1048576, readTimeout: 10s}
	// glossiwebhook: invalid webhook secret: the secret has leading or trailing whitespace (a newline from a file or a copy and paste?); give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
}

func ExampleCheckSecret() {
	for _, secret := range []string{"whsec_abc", "whsec_abc\n", "<sensitive>", `"whsec_abc"`} {
		fmt.Println(glossiwebhook.CheckSecret(secret))
	}
	// Output:
	// <nil>
	// glossiwebhook: invalid webhook secret: the secret has leading or trailing whitespace (a newline from a file or a copy and paste?); give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
	// glossiwebhook: invalid webhook secret: the secret is the placeholder terraform output prints in place of a sensitive value; give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
	// glossiwebhook: invalid webhook secret: the secret is wrapped in double quotes, as terraform output prints it without -raw (or with -json); give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
}

// A queue consumer that calls Parse itself deduplicates on DedupKey: a retry
// carries the same body and signature, so the same key.
func ExampleEvent_DedupKey() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	d := glossiwebhook.NewMemoryDeduper(0)
	signature := glossiwebhook.Sign(exampleBody, exampleSecret)
	for _, sig := range []string{signature, strings.ToUpper(signature)} { // an attempt and its retry
		ev, err := v.Parse(exampleBody, sig)
		if err != nil {
			log.Fatal(err)
		}
		status, token, err := d.Claim(ctx, ev.DedupKey(), 45*time.Second)
		if err != nil {
			log.Fatal(err)
		}
		if status != glossiwebhook.Claimed {
			fmt.Println("duplicate, skipped")
			continue
		}
		fmt.Println("handling", ev.Type, ev.DedupKey() == signature)
		if err := d.Done(ctx, ev.DedupKey(), token, 65*time.Minute); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// handling model.processed true
	// duplicate, skipped
}

package glossiwebhook_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

// A delivery as Glossi sends it, and the clock the examples run at.
var (
	exampleBody = []byte(`{"event":"model.processed","timestamp":"2025-01-15T10:30:00.000Z","data":{"modelId":"model-uuid","name":"Chair Model","status":"READY","glbFilePath":"https://s3.../file.glb","thumbnailUrl":"https://s3.../file.jpg"}}`)
	exampleNow  = func() time.Time { return time.Date(2025, 1, 15, 10, 31, 0, 0, time.UTC) }
)

const exampleSecret = "whsec_example"

func ExampleSign() {
	body := []byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"job-uuid","status":"FAILED","error":"Model processing timed out"}}`)
	fmt.Println(glossiwebhook.Sign(body, "whsec_example"))
	// Output:
	// 2b2cb66b54e09c1a59829a834614e16e88d624858ce0d89c92248482804ee2b6
}

func ExampleNewVerifier() {
	v, err := glossiwebhook.NewVerifier(exampleSecret)
	if err != nil {
		log.Fatal(err)
	}
	sig := glossiwebhook.Sign(exampleBody, exampleSecret)
	fmt.Println(v.Verify(exampleBody, sig))

	tampered := bytes.Replace(exampleBody, []byte("READY"), []byte("FAILED"), 1)
	fmt.Println(v.Verify(tampered, sig))

	_, err = glossiwebhook.NewVerifier("") // e.g. os.Getenv of an unset variable
	fmt.Println(err)
	// Output:
	// <nil>
	// glossiwebhook: signature mismatch
	// glossiwebhook: empty webhook secret
}

func ExampleVerifier_Middleware() {
	v, err := glossiwebhook.NewVerifier(exampleSecret,
		glossiwebhook.WithClock(exampleNow), // tests only: fix the clock
		glossiwebhook.WithDeduper(glossiwebhook.NewMemoryDeduper(1000)))
	if err != nil {
		log.Fatal(err)
	}
	handler := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		fmt.Println("handling", ev.Type)
		fmt.Fprintln(w, "ok")
	}))

	send := func(sig string) {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(glossiwebhook.SignatureHeader, sig)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%d %s", w.Code, w.Body)
	}
	send(glossiwebhook.Sign(exampleBody, exampleSecret))
	send(glossiwebhook.Sign(exampleBody, exampleSecret)) // Glossi delivers it again
	send(glossiwebhook.Sign(exampleBody, "guessed"))
	// Output:
	// handling model.processed
	// 200 ok
	// 200 duplicate delivery ignored
	// 401 invalid signature
}

func ExampleVerifier_Parse() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	ev, err := v.Parse(exampleBody, glossiwebhook.Sign(exampleBody, exampleSecret))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ev.Type, ev.Timestamp.Format(time.RFC3339))
	if ev.Type == glossiwebhook.EventModelProcessed {
		m, err := glossiwebhook.DataAs[glossiwebhook.ModelProcessed](ev)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.ModelID, m.Name, m.Status, m.GLBFilePath)
	}
	// Output:
	// model.processed 2025-01-15T10:30:00Z
	// model-uuid Chair Model READY https://s3.../file.glb
}

func ExampleVerifier_Parse_replay() {
	// The same signed delivery, captured and replayed two hours later.
	later := func() time.Time { return time.Date(2025, 1, 15, 12, 30, 0, 0, time.UTC) }
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(later))
	if err != nil {
		log.Fatal(err)
	}
	_, err = v.Parse(exampleBody, glossiwebhook.Sign(exampleBody, exampleSecret))
	fmt.Println(errors.Is(err, glossiwebhook.ErrTimestampOutOfRange))
	fmt.Println(err)
	// Output:
	// true
	// glossiwebhook: timestamp out of range: timestamp 2025-01-15T10:30:00Z is 2h0m0s in the past, tolerance 1h0m0s
}

func ExampleVerifier_ParseRequest() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhooks/glossi", func(w http.ResponseWriter, r *http.Request) {
		ev, err := v.ParseRequest(r)
		if err != nil {
			fmt.Println("refused:", err) // log it: errors never contain secrets
			status := glossiwebhook.HTTPStatus(err)
			http.Error(w, http.StatusText(status), status)
			return
		}
		raw, _ := io.ReadAll(r.Body) // the body can be read again
		fmt.Printf("%s: %d bytes\n", ev.Type, len(raw))
	})

	for _, secret := range []string{exampleSecret, "guessed"} {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
		r.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(exampleBody, secret))
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	// Output:
	// model.processed: 215 bytes
	// 200
	// refused: glossiwebhook: signature mismatch
	// 401
}

func ExampleWithPreviousSecrets() {
	// Glossi issued "whsec_new"; deliveries signed with "whsec_old" (and their
	// retries) are still in flight for a while.
	v, err := glossiwebhook.NewVerifier("whsec_new", glossiwebhook.WithPreviousSecrets("whsec_old"))
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

func ExampleVerifier_Verify() {
	v, err := glossiwebhook.NewVerifier(exampleSecret)
	if err != nil {
		log.Fatal(err)
	}
	sig := glossiwebhook.Sign(exampleBody, exampleSecret)
	for _, s := range []string{sig, " " + sig + "\n", "sha256=" + sig, "", sig[:10]} {
		err := v.Verify(exampleBody, s)
		fmt.Println(err == nil, errors.Is(err, glossiwebhook.ErrMalformedSignature), errors.Is(err, glossiwebhook.ErrMissingSignature))
	}
	// Output:
	// true false false
	// true false false
	// false true false
	// false false true
	// false true false
}

func ExampleEvent_Payload() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"event":"render.complete","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"render-job-uuid","status":"COMPLETED","projectId":"project-uuid","renderIds":["render-uuid-1","render-uuid-2"]}}`)
	ev, err := v.Parse(body, glossiwebhook.Sign(body, exampleSecret))
	if err != nil {
		log.Fatal(err)
	}
	p, err := ev.Payload()
	if err != nil {
		log.Fatal(err)
	}
	switch p := p.(type) {
	case *glossiwebhook.RenderComplete:
		fmt.Println("renders", p.RenderIDs, "for", p.ProjectID)
	case *glossiwebhook.RenderFailed:
		fmt.Println("render failed:", p.Error)
	default:
		fmt.Printf("ignoring %s\n", ev.Type)
	}
	// Output:
	// renders [render-uuid-1 render-uuid-2] for project-uuid
}

func ExampleEvent_DecodeData() {
	ev := &glossiwebhook.Event{
		Type: glossiwebhook.EventJobComplete,
		Data: []byte(`{"jobId":"job-uuid","status":"COMPLETE","results":[{"model":{"id":"model-uuid","name":"Chair"},"project":{"id":"project-uuid","name":"Chair Project"}}]}`),
	}
	var job glossiwebhook.JobComplete
	if err := ev.DecodeData(&job); err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.JobID, job.Results[0].Model.Name, job.Results[0].Project.ID)

	var wrong glossiwebhook.JobFailed
	fmt.Println(errors.Is(ev.DecodeData(&wrong), glossiwebhook.ErrWrongEventType))
	// Output:
	// job-uuid Chair project-uuid
	// true
}

func ExampleDataAs() {
	ev := &glossiwebhook.Event{
		Type: glossiwebhook.EventProjectCreated,
		Data: []byte(`{"projectId":"project-uuid","name":"Chair Project","modelIds":["model-uuid"],"templateId":"template-uuid"}`),
	}
	p, err := glossiwebhook.DataAs[glossiwebhook.ProjectCreated](ev)
	fmt.Println(p.Name, p.ModelIDs, err)
	// Output:
	// Chair Project [model-uuid] <nil>
}

func ExampleKnownEvents() {
	for _, e := range glossiwebhook.KnownEvents() {
		fmt.Println(e)
	}
	fmt.Println(glossiwebhook.EventType("model.deleted").Known())
	// Output:
	// model.processed
	// model.failed
	// project.created
	// job.complete
	// job.failed
	// render.complete
	// render.failed
	// false
}

func ExampleNewMemoryDeduper() {
	v, err := glossiwebhook.NewVerifier(exampleSecret,
		glossiwebhook.WithClock(exampleNow),
		glossiwebhook.WithDeduper(glossiwebhook.NewMemoryDeduper(10000)))
	if err != nil {
		log.Fatal(err)
	}
	sig := glossiwebhook.Sign(exampleBody, exampleSecret)
	for range 2 {
		ev, err := v.Parse(exampleBody, sig)
		fmt.Println(ev.DedupKey[:12], errors.Is(err, glossiwebhook.ErrDuplicate))
	}
	// Output:
	// 9f04085caeff false
	// 9f04085caeff true
}

func ExampleWithTolerance() {
	v, err := glossiwebhook.NewVerifier(exampleSecret,
		glossiwebhook.WithClock(exampleNow),
		glossiwebhook.WithTolerance(30*time.Second, 0))
	if err != nil {
		log.Fatal(err)
	}
	_, err = v.Parse(exampleBody, glossiwebhook.Sign(exampleBody, exampleSecret))
	fmt.Println(err)
	// Output:
	// glossiwebhook: timestamp out of range: timestamp 2025-01-15T10:30:00Z is 1m0s in the past, tolerance 30s
}

func ExampleWithMaxBodyBytes() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithMaxBodyBytes(64))
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
	r.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(exampleBody, exampleSecret))
	w := httptest.NewRecorder()
	v.Middleware(http.NotFoundHandler()).ServeHTTP(w, r)
	fmt.Print(w.Code, " ", w.Body)
	// Output:
	// 413 request body too large
}

func ExampleWithErrorHandler() {
	v, err := glossiwebhook.NewVerifier(exampleSecret,
		glossiwebhook.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			fmt.Println("refused:", err) // log it: errors never contain secrets
			http.Error(w, "refused", glossiwebhook.HTTPStatus(err))
		}))
	if err != nil {
		log.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
	w := httptest.NewRecorder()
	v.Middleware(http.NotFoundHandler()).ServeHTTP(w, r)
	fmt.Println(w.Code)
	// Output:
	// refused: glossiwebhook: missing X-Glossi-Signature header
	// 401
}

func ExampleHTTPStatus() {
	for _, err := range []error{nil, glossiwebhook.ErrDuplicate, glossiwebhook.ErrSignatureMismatch, glossiwebhook.ErrInvalidPayload, glossiwebhook.ErrDeduper} {
		fmt.Println(glossiwebhook.HTTPStatus(err))
	}
	// Output:
	// 200
	// 200
	// 401
	// 400
	// 503
}

func ExampleNewContext() {
	// Test a handler meant for Middleware without signing anything.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, ok := glossiwebhook.EventFromContext(r.Context())
		fmt.Println(ok, ev.Type)
	})
	ev := &glossiwebhook.Event{Type: glossiwebhook.EventJobFailed}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	handler.ServeHTTP(httptest.NewRecorder(), r.WithContext(glossiwebhook.NewContext(r.Context(), ev)))
	// Output:
	// true job.failed
}

func ExampleFingerprint() {
	fmt.Println(glossiwebhook.Fingerprint("whsec_example"))
	// Output: 7ea5eff04c598e38
}

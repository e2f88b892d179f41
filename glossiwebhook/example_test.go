package glossiwebhook_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
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

	// What a shell captured instead of the secret, run in the wrong folder:
	_, err = glossiwebhook.NewVerifier("\x1b[33m│\x1b[0m \x1b[1m\x1b[33mWarning:\x1b[0m No outputs found")
	fmt.Println(err)
	_, err = glossiwebhook.NewVerifier("") // os.Getenv of an unset variable
	fmt.Println(err)
	// Output:
	// <nil>
	// glossiwebhook: signature mismatch
	// glossiwebhook: invalid webhook secret: the secret contains a control or non-printing character at byte 0 (a terminal colour code?); give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
	// glossiwebhook: invalid webhook secret: the secret is empty (or null: an imported webhook has no secret until it is rotated); give the webhook's secret, such as glossi_webhook.main.secret (terraform output -raw NAME outside Terraform)
}

func ExampleVerifier_Middleware() {
	v, err := glossiwebhook.NewVerifier(exampleSecret,
		glossiwebhook.WithClock(exampleNow)) // tests only: fix the clock
	if err != nil {
		log.Fatal(err)
	}
	handle := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, _ := glossiwebhook.EventFromContext(r.Context())
		fmt.Println("handling", ev.Type)
		fmt.Fprintln(w, "ok")
	})
	handler := v.Middleware(glossiwebhook.Deduplicate(glossiwebhook.NewMemoryDeduper(0), handle))

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
	// 200 duplicate delivery ignored401 invalid signature
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

func ExampleDataAs() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"event":"render.complete","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"render-job-uuid","status":"COMPLETED","projectId":"project-uuid","renderIds":["render-uuid-1","render-uuid-2"]}}`)
	ev, err := v.Parse(body, glossiwebhook.Sign(body, exampleSecret))
	if err != nil {
		log.Fatal(err)
	}
	switch ev.Type {
	case glossiwebhook.EventRenderComplete:
		rc, err := glossiwebhook.DataAs[glossiwebhook.RenderComplete](ev)
		fmt.Println("renders", rc.RenderIDs, "for", rc.ProjectID, err)
	case glossiwebhook.EventRenderFailed:
		rf, err := glossiwebhook.DataAs[glossiwebhook.RenderFailed](ev)
		fmt.Println("render failed:", rf.Error, err)
	default:
		fmt.Printf("ignoring %s\n", ev.Type) // an event this receiver does not handle
	}
	_, mismatch := glossiwebhook.DataAs[glossiwebhook.JobFailed](ev) // the payload of another event
	fmt.Println(mismatch)
	// Output:
	// renders [render-uuid-1 render-uuid-2] for project-uuid <nil>
	// glossiwebhook: invalid payload: cannot decode render.complete data as glossiwebhook.JobFailed
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
	for _, err := range []error{nil, glossiwebhook.ErrSignatureMismatch, glossiwebhook.ErrBodyTooLarge, glossiwebhook.ErrInvalidPayload} {
		fmt.Println(glossiwebhook.HTTPStatus(err))
	}
	// Output:
	// 200
	// 401
	// 413
	// 400
}

func ExampleFingerprint() {
	fmt.Println(glossiwebhook.Fingerprint("whsec_example"))
	// Output: 7ea5eff04c598e38
}

func ExampleWithReadTimeout() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithReadTimeout(100*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(v.Middleware(http.NotFoundHandler()))
	defer srv.Close()

	// A client that announces 215 bytes and sends 10, then stalls.
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\n%s: %s\r\nContent-Length: %d\r\n\r\n%s",
		glossiwebhook.SignatureHeader, glossiwebhook.Sign(exampleBody, exampleSecret), len(exampleBody), exampleBody[:10])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status)
	// Output: 408 Request Timeout
}

func ExampleEventFromContext() {
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(exampleNow))
	if err != nil {
		log.Fatal(err)
	}
	handler := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ev, ok := glossiwebhook.EventFromContext(r.Context())
		fmt.Println(ok, ev.Type, ev.Timestamp.Format(time.RFC3339))
	}))
	r := httptest.NewRequest(http.MethodPost, "/webhooks/glossi", bytes.NewReader(exampleBody))
	r.Header.Set(glossiwebhook.SignatureHeader, glossiwebhook.Sign(exampleBody, exampleSecret))
	handler.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// true model.processed 2025-01-15T10:30:00Z
}

func ExampleWithClock() {
	// Tests fix the clock so that a delivery with a fixed timestamp stays
	// inside the replay window.
	body := []byte(`{"event":"job.failed","timestamp":"2025-01-15T10:30:00.000Z","data":{"jobId":"j"}}`)
	at := func() time.Time { return time.Date(2025, 1, 15, 10, 30, 5, 0, time.UTC) }
	v, err := glossiwebhook.NewVerifier(exampleSecret, glossiwebhook.WithClock(at))
	if err != nil {
		log.Fatal(err)
	}
	ev, err := v.Parse(body, glossiwebhook.Sign(body, exampleSecret))
	fmt.Println(ev.Type, err)
	// Output: job.failed <nil>
}

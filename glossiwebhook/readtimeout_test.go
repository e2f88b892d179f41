package glossiwebhook

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A client that sends its body at 1 byte/s cannot hold the receiver: the
// request ends with 408 close to the read timeout, though the server sets
// no timeout of its own, and the handler is not called. "Close" is a bound
// that a loaded machine cannot cross by accident and a wrong timeout would:
// the read timeout plus 5 s, under the default timeout of 10 s and the
// minutes the whole body takes.
func TestMiddleware_slowBodyEndsNearTheReadTimeout(t *testing.T) {
	const timeout = 1500 * time.Millisecond
	var calls int
	v := newTestVerifier(t, WithReadTimeout(timeout))
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ })))
	t.Cleanup(srv.Close)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := seedBody()
	start := time.Now()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s: %s\r\nContent-Length: %d\r\n\r\n",
		SignatureHeader, Sign(body, testSecret), len(body))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { // one byte a second
		for _, c := range body {
			if _, writeErr := conn.Write([]byte{c}); writeErr != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("after %s: %v", elapsed, err)
	}
	defer resp.Body.Close()
	t.Logf("answered %s after %s (read timeout %s)", resp.Status, elapsed.Round(time.Millisecond), timeout)
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("status %s, want 408", resp.Status)
	}
	if elapsed < timeout || elapsed > timeout+5*time.Second {
		t.Fatalf("answered after %s, want close to %s", elapsed, timeout)
	}
	if calls != 0 {
		t.Fatal("the handler was called")
	}
}

// Reading the whole body clears the deadline: a handler that runs longer
// than the read timeout keeps its context.
func TestMiddleware_readTimeoutDoesNotLimitTheHandler(t *testing.T) {
	const timeout = 200 * time.Millisecond
	v := newTestVerifier(t, WithReadTimeout(timeout))
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * timeout):
			_, _ = w.Write([]byte("done"))
		case <-r.Context().Done():
			http.Error(w, "context canceled", http.StatusInternalServerError)
		}
	})))
	t.Cleanup(srv.Close)
	body := seedBody()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(body)))
	req.Header.Set(SignatureHeader, Sign(body, testSecret))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
}

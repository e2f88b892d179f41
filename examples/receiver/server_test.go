package main

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A client that sends its body a byte at a time is cut off after the read
// timeout instead of holding a connection. "After the read
// timeout" is a bound a loaded machine cannot cross by accident and a
// timeout not applied would: 5 s, under the default read timeout of 10 s and
// the 100 s the announced body would take.
func TestRun_slowBodyIsCutOff(t *testing.T) {
	r := startReceiver(t, []string{"--read-timeout", "300ms"}, map[string]string{"GLOSSI_WEBHOOK_SECRET": secret})
	conn, err := net.Dial("tcp", strings.TrimPrefix(strings.Split(r.url, "/webhooks")[0], "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, err = conn.Write([]byte("POST /webhooks/glossi HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\n" +
		"Content-Length: 1000\r\nX-Glossi-Signature: " + strings.Repeat("ab", 32) + "\r\n\r\n{"))
	if err != nil {
		t.Fatal(err)
	}
	go func() { // one byte every 100 ms, as a slowloris client does
		for i := 0; i < 100; i++ {
			time.Sleep(100 * time.Millisecond)
			if _, writeErr := conn.Write([]byte(" ")); writeErr != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	elapsed := time.Since(start)
	if err == nil {
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusRequestTimeout {
			t.Errorf("slow body answered %d, want 408", resp.StatusCode)
		}
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("slow body still open after %v: the server does not bound body reads", elapsed)
	}
	if elapsed > 5*time.Second {
		t.Errorf("slow body cut off after %v, want about the 300ms read timeout", elapsed)
	}
	t.Logf("slow body (1 byte / 100 ms, 1000 announced) cut off after %v: %v", elapsed.Round(time.Millisecond), statusOrErr(resp, err))
}

func statusOrErr(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

package main

import (
	"errors"
	"io"
	"net/url"
	"testing"
)

func TestTruncate_cutsOnARuneBoundary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 5, "short"},
		{"longer", 4, "long…"},
		{"ééé", 3, "é…"}, // byte 3 is inside the second é: the cut moves back to byte 2
		{"ééé", 4, "éé…"},
	} {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestNetError_dropsTheMethodAndURLThatURLErrorRepeats(t *testing.T) {
	ue := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/_sandbox/trigger", Err: io.ErrUnexpectedEOF}
	if got := netError(ue); got != io.ErrUnexpectedEOF {
		t.Errorf("netError(%v) = %v, want %v", ue, got, io.ErrUnexpectedEOF)
	}
	other := errors.New("not a url.Error")
	if got := netError(other); got != other {
		t.Errorf("netError(%v) = %v, want it unchanged", other, got)
	}
}

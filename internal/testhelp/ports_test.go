package testhelp_test

import (
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/glossi/terraform-provider-glossi/internal/testhelp"
)

// OnFreePort tries another free port while run fails, three times at most, and returns run's
// last error; the ports it gives can be listened on.
func TestOnFreePort_threeTries(t *testing.T) {
	var calls int
	err := testhelp.OnFreePort(func(port int) error {
		calls++
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return err
		}
		_ = ln.Close()
		return fmt.Errorf("port taken, try %d", calls)
	})
	if calls != 3 || err == nil || err.Error() != "port taken, try 3" {
		t.Errorf("always failing: %d calls, %v; want 3 and the last error", calls, err)
	}
	calls = 0
	err = testhelp.OnFreePort(func(int) error {
		if calls++; calls < 2 {
			return errors.New("port taken")
		}
		return nil
	})
	if calls != 2 || err != nil {
		t.Errorf("succeeding on the second port: %d calls, %v; want 2 and no error", calls, err)
	}
}

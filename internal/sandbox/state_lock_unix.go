//go:build unix

package sandbox

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockState takes an exclusive lock on path+".lock", so that a second
// sandbox on the same state file refuses to start instead of silently losing
// the other's updates. The lock file stays: removing it would race with a
// process opening it. The returned function releases the lock.
func lockState(path string) (func(), error) {
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("locking the sandbox state file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is used by another sandbox (it holds %s); stop that one, or use another state file",
				ErrStateInUse, path, lockPath)
		}
		return nil, fmt.Errorf("locking the sandbox state file %s: %w", lockPath, err)
	}
	return func() { _ = f.Close() }, nil // closing releases the lock
}

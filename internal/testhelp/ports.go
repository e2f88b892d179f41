package testhelp

import "net"

// FreePort returns a loopback TCP port that nothing listens on now. Another process may bind it
// before the caller does: start a server on it with OnFreePort.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil //nolint:forcetypeassert // a tcp listener's address
}

// OnFreePort calls run with a free loopback port until it succeeds, three times at most: the
// port is free when FreePort picks it, but another process (the tests of other packages start
// servers all the time) may bind it before run's server does. It returns run's last error.
func OnFreePort(run func(port int) error) error {
	var err error
	for range 3 {
		var port int
		if port, err = FreePort(); err != nil {
			return err
		}
		if err = run(port); err == nil {
			return nil
		}
	}
	return err
}

package release

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The handshake Terraform and OpenTofu start a provider with (go-plugin's, with the cookie of
// terraform-plugin-go's tf5server and tf6server, the same for both protocols).
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// knownProtocols are the plugin protocol major versions Terraform and OpenTofu speak.
var knownProtocols = []int{5, 6}

// handshakeTimeout bounds one start of the provider up to its handshake line.
const handshakeTimeout = 30 * time.Second

// ServedProtocols starts the provider binary as Terraform does, once offering each protocol
// major version Terraform knows, and returns those it accepted ("6.0"): the protocol
// versions the registry manifest must list. go-plugin answers an offer it cannot take with
// its own version, so an accepted offer is one answered with the same version.
func ServedProtocols(ctx context.Context, binary string) ([]string, error) {
	var served []string
	for _, offered := range knownProtocols {
		answered, err := handshake(ctx, binary, offered)
		if err != nil {
			return nil, err
		}
		if answered == offered {
			served = append(served, fmt.Sprintf("%d.0", offered))
		}
	}
	return served, nil
}

// handshake starts binary offering protocol major version offered, reads the first line it
// prints (core-version|app-version|network|address|protocol|...), stops it, and returns the
// app version.
func handshake(ctx context.Context, binary string, offered int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	sockets, err := os.MkdirTemp("", "release-handshake-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(sockets)

	cmd := exec.CommandContext(ctx, binary)
	cmd.Env = append(os.Environ(),
		magicCookieKey+"="+magicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS="+strconv.Itoa(offered),
		"TMPDIR="+sockets, // where go-plugin makes its socket
	)
	cmd.WaitDelay = time.Second // a child left holding stderr must not hold Wait
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err = cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting %s: %w", binary, err)
	}
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	_ = cmd.Process.Kill() // it serves until stopped; the handshake line is all we need
	_ = cmd.Wait()

	fields := strings.Split(strings.TrimSpace(line), "|")
	if len(fields) < 5 || fields[0] != "1" {
		return 0, fmt.Errorf("%s did not answer the plugin handshake (line %q, read error %v, stderr %q)",
			binary, line, readErr, strings.TrimSpace(stderr.String()))
	}
	answered, err := strconv.Atoi(fields[1])
	if err != nil {
		return 0, fmt.Errorf("%s answered the plugin handshake with protocol %q: %w", binary, fields[1], err)
	}
	return answered, nil
}

// HostPlatform is the platform of this machine, whose binary ServedProtocols can run.
func HostPlatform() Platform { return Platform{runtime.GOOS, runtime.GOARCH} }

// ServedProtocols extracts this machine's binary from the release and returns the protocol
// versions it serves (ServedProtocols of the binary).
func (d *Dist) ServedProtocols(ctx context.Context) ([]string, error) {
	dir, err := os.MkdirTemp("", "release-binary-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	binary, err := d.ExtractBinary(HostPlatform(), dir)
	if err != nil {
		return nil, fmt.Errorf("the %s binary, run to learn the protocols it serves: %w", HostPlatform(), err)
	}
	return ServedProtocols(ctx, binary)
}

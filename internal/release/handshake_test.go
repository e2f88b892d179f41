package release

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakePlugin writes a shell script that answers the handshake with line, where $OFFERED is
// the protocol offered, once given the magic cookie, and then serves until it is stopped.
func fakePlugin(t *testing.T, line string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plugin")
	script := "#!/bin/sh\n" +
		`[ "$` + magicCookieKey + `" = ` + magicCookieValue + ` ] || { echo "not started as a plugin" >&2; exit 1; }` + "\n" +
		`OFFERED=$PLUGIN_PROTOCOL_VERSIONS` + "\n" +
		`echo "` + line + `"` + "\n" +
		"exec sleep 60\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServedProtocols_areTheOffersAnsweredInKind(t *testing.T) {
	cases := []struct {
		name, line string
		want       []string
	}{
		{"protocol 6 only: answers 6 to every offer", "1|6|unix|/tmp/plugin1|grpc|", []string{"6.0"}},
		{"protocol 5 only", "1|5|unix|/tmp/plugin1|grpc|", []string{"5.0"}},
		{"both, as a muxed provider", "1|$OFFERED|unix|/tmp/plugin1|grpc|", []string{"5.0", "6.0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ServedProtocols(context.Background(), fakePlugin(t, tc.line))
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("ServedProtocols() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestServedProtocols_refusesABinaryThatIsNoPlugin(t *testing.T) {
	_, err := ServedProtocols(context.Background(), fakePlugin(t, "Hello, world"))
	if err == nil || !strings.Contains(err.Error(), `did not answer the plugin handshake (line "Hello, world\n"`) {
		t.Errorf("err = %v, want the handshake refused, quoting the line", err)
	}
}

// The protocol the provider built from main.go serves is what terraform-registry-manifest.json
// lists, so the released manifest is true: the release's Verify checks the manifest against
// the same handshake, run on the released binary.
func TestServedProtocols_ofTheProviderAreThoseOfTheRegistryManifest(t *testing.T) {
	binary := filepath.Join(t.TempDir(), ProjectName)
	build := exec.Command("go", "build", "-o", binary, "github.com/glossi/terraform-provider-glossi")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the provider: %v\n%s", err, out)
	}
	served, err := ServedProtocols(context.Background(), binary)
	if err != nil {
		t.Fatal(err)
	}
	m, err := readManifest("../../terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if listed := slices.Sorted(slices.Values(m.Metadata.ProtocolVersions)); !slices.Equal(served, listed) {
		t.Errorf("the provider serves protocols %q, terraform-registry-manifest.json lists %q", served, listed)
	}
}

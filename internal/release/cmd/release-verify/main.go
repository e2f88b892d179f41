// Command release-verify checks a release before it is published: the files goreleaser left
// in a dist folder, as terraform init and the Terraform Registry will read them (package
// release says what is checked), and the release tag.
//
//	release-verify -key PUBLIC_KEY.asc [-tag vX.Y.Z] DIST_DIR
//	release-verify -tag vX.Y.Z
//
// PUBLIC_KEY.asc is the ASCII-armored public key that must have signed the checksum file. With
// -tag, the tag must be a release tag and, with DIST_DIR, name the version in it. Exit status
// 1 and one line per problem when anything fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/glossi/terraform-provider-glossi/internal/release"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "release-verify: %v\n", strings.ReplaceAll(err.Error(), "\n", "\nrelease-verify: "))
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("release-verify", flag.ContinueOnError)
	flags.SetOutput(stderr)
	keyFile := flags.String("key", "", "the ASCII-armored public key that must have signed the checksum file")
	tag := flags.String("tag", "", "the release tag (vX.Y.Z): must be semver and name the release's version")
	if err := flags.Parse(args); err != nil {
		return err
	}
	version := ""
	if *tag != "" {
		v, err := release.VersionOfTag(*tag)
		if err != nil {
			return err
		}
		version = v
	}
	switch {
	case flags.NArg() == 0 && *tag != "":
		fmt.Fprintf(stdout, "tag %s: release version %s\n", *tag, version)
		return nil
	case flags.NArg() != 1 || *keyFile == "":
		flags.Usage()
		return errors.New("want -key PUBLIC_KEY.asc and one DIST_DIR, or -tag alone")
	}
	return verifyDist(ctx, flags.Arg(0), *keyFile, version, stdout)
}

func verifyDist(ctx context.Context, dir, keyFile, version string, stdout io.Writer) error {
	publicKey, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	checked, err := release.Check(ctx, dir, publicKey, version)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s %s verified: %d zips, one binary each; %s lists them and the manifest, hashes match; signed by %s; manifest protocol_versions %s, served by the %s binary\n",
		dir, release.ProjectName, checked.Dist.Version, len(release.Platforms), release.SumsName(checked.Dist.Version), checked.Signer,
		strings.Join(checked.Protocols, ", "), release.HostPlatform())
	return nil
}

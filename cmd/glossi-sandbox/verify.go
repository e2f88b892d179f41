package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/glossi/terraform-provider-glossi/glossiwebhook"
)

const verifySynopsis = `verify --signature SIG [--secret SECRET] < body.json

Checks whether a captured delivery body (on stdin, byte for byte) matches its
X-Glossi-Signature under the webhook secret (from $` + envSecret + `, or
--secret). If it does not, says why it most likely does not: a malformed
signature, a body changed after receipt (re-serialized, re-indented, a
trailing newline added) or a wrong secret. Never prints the expected
signature. Exits 0 when the signature verifies, 1 when it does not.`

func runVerify(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", verifySynopsis, stdout)
	secretFlag := fs.String("secret", "", "webhook `secret` (default $"+envSecret+")")
	signature := fs.String("signature", "", "the X-Glossi-Signature header value (required)")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return usageError(stderr, "verify", err)
	}
	if len(positional) > 0 {
		return usageError(stderr, "verify", fmt.Errorf("unexpected argument %q; the body is read from stdin", positional[0]))
	}
	if *signature == "" {
		return usageError(stderr, "verify", errors.New("--signature is required"))
	}
	secret, err := secretFrom(*secretFlag)
	if err != nil {
		return usageError(stderr, "verify", err)
	}
	body, err := io.ReadAll(io.LimitReader(stdin, glossiwebhook.DefaultMaxBodyBytes+1))
	if err != nil {
		return fail(stderr, "verify", "reading the body from stdin: %v", err)
	}
	if len(body) == 0 {
		return usageError(stderr, "verify", errors.New("the body on stdin is empty; pipe the exact bytes received, e.g. < body.json"))
	}
	ok, msg := diagnose(body, *signature, secret)
	if ok {
		fmt.Fprintln(stdout, msg)
		return exitOK
	}
	fmt.Fprintln(stdout, "NOT VERIFIED: "+msg)
	return exitFailure
}

// diagnose checks signature over body and, on a mismatch, looks for the
// likely cause. It never reveals the expected signature.
func diagnose(body []byte, signature, secret string) (bool, string) {
	v, err := glossiwebhook.NewVerifier(secret)
	if err != nil {
		return false, err.Error()
	}
	err = v.Verify(body, signature)
	switch {
	case err == nil:
		return true, fmt.Sprintf("OK: the signature matches these %d bytes under this secret", len(body))
	case errors.Is(err, glossiwebhook.ErrMalformedSignature):
		s := strings.TrimSpace(signature)
		hint := ""
		if strings.HasPrefix(strings.ToLower(s), "sha256=") {
			hint = `; drop the "sha256=" prefix, which Glossi does not send`
		}
		return false, fmt.Sprintf("the signature is malformed: want %d hex characters, got %d characters%s", glossiwebhook.SignatureLength, len(s), hint)
	case !errors.Is(err, glossiwebhook.ErrSignatureMismatch):
		return false, err.Error()
	}

	for _, c := range bodyVariants(body) {
		if v.Verify(c.body, signature) == nil {
			return false, "the body is not the exact bytes that were signed, but it verifies " + c.how +
				". Verify the raw request body as received, before any parsing, decoding or re-encoding."
		}
	}
	return false, "the signature does not match: most likely a wrong secret (an old one, after the secret was rotated? a secret of another webhook?), or a body changed in a way this tool cannot undo"
}

// variant is a guess at the body that was really signed.
type variant struct {
	how  string
	body []byte
}

// bodyVariants returns the bodies the captured one may have been before it was
// changed on its way to the user.
func bodyVariants(body []byte) []variant {
	var out []variant
	add := func(how string, b []byte) {
		if b == nil || bytes.Equal(b, body) {
			return
		}
		for _, v := range out {
			if bytes.Equal(v.body, b) {
				return
			}
		}
		out = append(out, variant{how, b})
	}
	add("without its trailing newline (added by echo, an editor or a capture tool)", bytes.TrimRight(body, "\r\n"))
	add("without its surrounding whitespace", bytes.TrimSpace(body))
	var compact bytes.Buffer
	if json.Compact(&compact, body) == nil {
		add("once compacted (the captured body was pretty-printed or re-indented)", compact.Bytes())
	}
	if tree, err := parseOrdered(body); err == nil {
		add(`once re-serialized compactly, as JSON.stringify writes it (the captured body was re-serialized: spaces after "," or ":", "\/" or \u escapes)`,
			encodeOrdered(tree, jsonStringifyStyle))
		add("once re-serialized as Python's json.dumps writes it", encodeOrdered(tree, pythonDumpsStyle))
		add(`once re-serialized as PHP's json_encode writes it (escaping "/" as "\/")`, encodeOrdered(tree, phpEncodeStyle))
		add("once re-serialized as Go's json.Marshal of a map writes it (sorted keys, HTML escaped)", encodeOrdered(tree, goMapMarshalStyle))
	}
	return out
}

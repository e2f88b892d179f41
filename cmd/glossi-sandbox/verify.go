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
			encodeOrdered(tree, jsonStyle{comma: ",", colon: ":"}))
		add("once re-serialized as Python's json.dumps writes it", encodeOrdered(tree, jsonStyle{comma: ", ", colon: ": ", asciiOnly: true}))
		add(`once re-serialized as PHP's json_encode writes it (escaping "/" as "\/")`, encodeOrdered(tree, jsonStyle{comma: ",", colon: ":", escapeSlash: true, asciiOnly: true}))
		add("once re-serialized as Go's json.Marshal of a map writes it (sorted keys, HTML escaped)", encodeOrdered(tree, jsonStyle{comma: ",", colon: ":", sortKeys: true, escapeHTML: true}))
	}
	return out
}

// ordered JSON: objects keep their key order.
type (
	jsonObject []jsonMember
	jsonMember struct {
		key   string
		value any
	}
)

// parseOrdered parses one JSON value, keeping the order of object keys and
// number literals as written.
func parseOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := jsonObject{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, jsonMember{key, v})
			}
			_, err := dec.Token() // '}'
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// jsonStyle is how a serializer writes JSON.
type jsonStyle struct {
	comma, colon string
	escapeSlash  bool // "/" as "\/" (PHP)
	asciiOnly    bool // non-ASCII as \uXXXX (Python, PHP)
	escapeHTML   bool // <, >, & as \u003c... (Go)
	sortKeys     bool // Go maps
}

func encodeOrdered(v any, st jsonStyle) []byte {
	var b bytes.Buffer
	writeValue(&b, v, st)
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, v any, st jsonStyle) {
	switch t := v.(type) {
	case jsonObject:
		members := t
		if st.sortKeys {
			members = append(jsonObject(nil), t...)
			sortMembers(members)
		}
		b.WriteByte('{')
		for i, m := range members {
			if i > 0 {
				b.WriteString(st.comma)
			}
			writeString(b, m.key, st)
			b.WriteString(st.colon)
			writeValue(b, m.value, st)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(st.comma)
			}
			writeValue(b, e, st)
		}
		b.WriteByte(']')
	case string:
		writeString(b, t, st)
	case json.Number:
		b.WriteString(t.String())
	case bool:
		fmt.Fprint(b, t)
	case nil:
		b.WriteString("null")
	}
}

func sortMembers(m jsonObject) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].key < m[j-1].key; j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

func writeString(b *bytes.Buffer, s string, st jsonStyle) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		case r == '/' && st.escapeSlash:
			b.WriteString(`\/`)
		case (r == '<' || r == '>' || r == '&') && st.escapeHTML:
			fmt.Fprintf(b, `\u%04x`, r)
		case (r == 0x2028 || r == 0x2029) && st.escapeHTML:
			fmt.Fprintf(b, `\u%04x`, r)
		case r > 0x7f && st.asciiOnly:
			if r > 0xffff {
				r -= 0x10000
				fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

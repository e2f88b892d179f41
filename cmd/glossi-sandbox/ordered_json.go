package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSON parsed with the order of its object keys kept, and written again as other serializers
// write it: how verify guesses the body that was signed before a receiver re-serialized it.

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
	escapeDEL    bool // DEL (0x7f) as \u007f (Python: it writes printable ASCII only)
	escapeHTML   bool // <, >, & as \u003c... (Go)
	sortKeys     bool // Go maps
}

// How the usual serializers write JSON by default.
var (
	jsonStringifyStyle = jsonStyle{comma: ",", colon: ":"}
	pythonDumpsStyle   = jsonStyle{comma: ", ", colon: ": ", asciiOnly: true, escapeDEL: true}
	phpEncodeStyle     = jsonStyle{comma: ",", colon: ":", escapeSlash: true, asciiOnly: true}
	goMapMarshalStyle  = jsonStyle{comma: ",", colon: ":", sortKeys: true, escapeHTML: true}
)

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
		case r == 0x7f && st.escapeDEL:
			b.WriteString(`\u007f`)
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

package glossiwebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// vectorFile is testdata/vectors.json, written by testdata/gen_vectors.js and
// testdata/gen_vectors.py.
type vectorFile struct {
	Timestamp string   `json:"timestamp"`
	Vectors   []vector `json:"vectors"`
}

type vector struct {
	Name          string            `json:"name"`
	Source        string            `json:"source"`
	ValidDelivery bool              `json:"valid_delivery"`
	Event         *string           `json:"event"`
	Secret        string            `json:"secret"`
	Body          string            `json:"body"`
	Signature     string            `json:"signature"`
	Signatures    map[string]string `json:"signatures"`
	Reserialized  []struct {
		By        string `json:"by"`
		Body      string `json:"body"`
		Signature string `json:"signature"`
		SameBytes bool   `json:"same_bytes"`
	} `json:"reserialized"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) < 15 {
		t.Fatalf("only %d vectors", len(f.Vectors))
	}
	return f
}

func TestVectors(t *testing.T) {
	f := loadVectors(t)
	now, err := time.Parse(time.RFC3339Nano, f.Timestamp)
	if err != nil {
		t.Fatal(err)
	}
	for _, vec := range f.Vectors {
		t.Run(vec.Name, func(t *testing.T) {
			body := []byte(vec.Body)
			if got := Sign(body, vec.Secret); got != vec.Signature {
				t.Fatalf("Sign = %s, vector says %s", got, vec.Signature)
			}
			if len(vec.Signatures) == 0 {
				t.Fatal("no independent signatures")
			}
			for src, sig := range vec.Signatures {
				if sig != vec.Signature {
					t.Fatalf("%s signature %s differs from %s", src, sig, vec.Signature)
				}
			}
			v, err := NewVerifier(vec.Secret, WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			if err = v.Verify(body, vec.Signature); err != nil {
				t.Fatalf("Verify = %v", err)
			}
			if err = v.Verify(body, strings.ToUpper(vec.Signature)); err != nil {
				t.Fatalf("Verify(upper) = %v", err)
			}
			ev, err := v.Parse(body, vec.Signature)
			if !vec.ValidDelivery {
				if !errors.Is(err, ErrInvalidPayload) {
					t.Fatalf("Parse = %v, want ErrInvalidPayload", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			if vec.Event == nil || string(ev.Type) != *vec.Event || !bytes.Equal(ev.Raw, body) {
				t.Fatalf("event %q, raw %q", ev.Type, ev.Raw)
			}
			if ev.Type.Known() {
				if _, err := decodeTyped(ev); err != nil {
					t.Fatalf("DataAs = %v", err)
				}
			}
		})
	}
}

// TestVectors_reserializationFails shows why the examples in Glossi's
// documentation fail: they hash a re-serialization of the parsed body, whose
// bytes differ from the signed ones.
func TestVectors_reserializationFails(t *testing.T) {
	f := loadVectors(t)
	failures := map[string]int{} // by language
	for _, vec := range f.Vectors {
		v, err := NewVerifier(vec.Secret)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range vec.Reserialized {
			lang := strings.SplitN(re.By, ":", 2)[0]
			if got := Sign([]byte(re.Body), vec.Secret); got != re.Signature {
				t.Fatalf("%s/%s: Sign = %s, vector says %s", vec.Name, lang, got, re.Signature)
			}
			err := v.Verify([]byte(re.Body), vec.Signature)
			if re.SameBytes != (re.Body == vec.Body) {
				t.Fatalf("%s/%s: same_bytes is wrong", vec.Name, lang)
			}
			if re.SameBytes {
				if err != nil {
					t.Fatalf("%s/%s: same bytes but Verify = %v", vec.Name, lang, err)
				}
				continue
			}
			failures[lang]++
			if !errors.Is(err, ErrSignatureMismatch) {
				t.Fatalf("%s/%s: re-serialized body verified: %v", vec.Name, lang, err)
			}
			// The raw bytes still verify.
			if err := v.Verify([]byte(vec.Body), vec.Signature); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("re-serializations that break the signature: %v", failures)

	byName := map[string]vector{}
	for _, vec := range f.Vectors {
		byName[vec.Name] = vec
	}
	// sameBytes reports whether lang's re-serialization of the named
	// vector kept the signed bytes.
	sameBytes := func(name, lang string) bool {
		for _, re := range byName[name].Reserialized {
			if strings.HasPrefix(re.By, lang+":") {
				return re.SameBytes
			}
		}
		t.Fatalf("%s has no %s re-serialization", name, lang)
		return false
	}
	// The documented failures, one by one.
	for _, e := range KnownEvents() {
		if sameBytes(string(e), "python") {
			t.Errorf("python json.dumps of %s gave the same bytes; it adds spaces", e)
		}
		same := sameBytes(string(e), "php")
		hasURL := strings.Contains(byName[string(e)].Body, "/")
		if same == hasURL {
			t.Errorf("php json_encode of %s: same bytes %v, but the body has a URL: %v", e, same, hasURL)
		}
		if !sameBytes(string(e), "node") {
			t.Errorf("node JSON.stringify of compact %s changed the bytes", e)
		}
	}
	for _, name := range []string{"pretty-printed", "pretty-printed-crlf-trailing-newline", "numbers", "escaped-slashes-php-style"} {
		if sameBytes(name, "node") {
			t.Errorf("node re-serialization of %s kept the bytes", name)
		}
	}
}

// TestVectors_goMarshalFails shows that Go's own json.Marshal does not
// reproduce the signed bytes either: it sorts map keys, escapes <, > and &
// as \u003c..., escapes U+2028, and formats numbers its own way.
func TestVectors_goMarshalFails(t *testing.T) {
	f := loadVectors(t)
	differ := 0
	for _, vec := range f.Vectors {
		var parsed any
		if json.Unmarshal([]byte(vec.Body), &parsed) != nil {
			continue
		}
		again, err := json.Marshal(parsed)
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewVerifier(vec.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(again, []byte(vec.Body)) {
			if err := v.Verify(again, vec.Signature); err != nil {
				t.Fatalf("%s: %v", vec.Name, err)
			}
			continue
		}
		differ++
		if Sign(again, vec.Secret) == vec.Signature {
			t.Fatalf("%s: different bytes, same signature", vec.Name)
		}
		if err := v.Verify(again, vec.Signature); !errors.Is(err, ErrSignatureMismatch) {
			t.Fatalf("%s: Verify(json.Marshal(parsed)) = %v, want ErrSignatureMismatch", vec.Name, err)
		}
		if err := v.Verify([]byte(vec.Body), vec.Signature); err != nil {
			t.Fatalf("%s: Verify(raw) = %v", vec.Name, err)
		}
	}
	// Every seed payload (keys in Glossi's order, not sorted) differs.
	if differ < 7 {
		t.Fatalf("json.Marshal reproduced the bytes of %d bodies; want at least the 7 seed payloads to differ", len(f.Vectors)-differ)
	}
	// Specific reasons.
	for name, wantIn := range map[string]string{
		"html-characters": `\u003cb\u003eChair \u0026 Table\u003c/b\u003e`,
		"unicode":         `\u2028`,
	} {
		var vec vector
		for _, x := range f.Vectors {
			if x.Name == name {
				vec = x
			}
		}
		var parsed any
		if err := json.Unmarshal([]byte(vec.Body), &parsed); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(parsed)
		if !strings.Contains(string(again), wantIn) || strings.Contains(vec.Body, wantIn) {
			t.Errorf("%s: json.Marshal should write %s where the sender did not", name, wantIn)
		}
	}
}

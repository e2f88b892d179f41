package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// orderedInput has unsorted keys, non-ASCII beyond the BMP, characters that one serializer
// escapes and another does not, and every kind of value.
const orderedInput = `{"b":"é😀/<>&\u2028\b\f\u0001\u007f\n\"\\","a":[1,-2.5,true,null,{"z":[],"y":{}}]}`

// Written again, the input comes out byte for byte as each serializer writes it: Python 3.11's
// json.dumps and Node 20's JSON.stringify of orderedInput (run once, their output pasted here;
// numbers are chosen that neither rewrites), and Go's json.Marshal of a map, run here.
func TestEncodeOrdered_writesAsEachSerializerDoes(t *testing.T) {
	tree, err := parseOrdered([]byte(orderedInput))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		style jsonStyle
		want  string
	}{
		"JSON.stringify": {jsonStringifyStyle, "{\"b\":\"é😀/<>&\u2028" + `\b\f\u0001` + "\x7f" + `\n\"\\","a":[1,-2.5,true,null,{"z":[],"y":{}}]}`},
		"json.dumps":     {pythonDumpsStyle, `{"b": "\u00e9\ud83d\ude00/<>&\u2028\b\f\u0001\u007f\n\"\\", "a": [1, -2.5, true, null, {"z": [], "y": {}}]}`},
	} {
		if got := encodeOrdered(tree, tc.style); string(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, tc.want)
		}
	}

	dec := json.NewDecoder(bytes.NewReader([]byte(orderedInput)))
	dec.UseNumber()
	var m map[string]any
	if err = dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeOrdered(tree, goMapMarshalStyle); !bytes.Equal(got, want) {
		t.Errorf("json.Marshal of a map:\n got %s\nwant %s", got, want)
	}
}

func TestParseOrdered_refusesWhatIsNotOneJSONValue(t *testing.T) {
	for _, in := range []string{`{"a":1} {}`, `{"a":`, `[1,]`, `}`} {
		if _, err := parseOrdered([]byte(in)); err == nil {
			t.Errorf("parseOrdered(%s) accepted it", in)
		}
	}
}

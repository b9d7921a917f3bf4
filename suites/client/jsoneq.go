package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/big"
	"slices"
	"strconv"
)

// jsonDiff compares two JSON documents as decoded values and returns
// where they first differ, like `$.order.lines[1].qty: want "2", got
// "3"`, or "" when they are equal. Objects compare by member whatever
// the order, arrays item by item, strings after unescaping, and numbers
// by exact value, so 10.00 equals 10 and 1E2 equals 100: what a JSON
// parser may rewrite is not a difference. A document that is not JSON
// differs from everything.
func jsonDiff(want, got []byte) string {
	w, err := decodeJSON(want)
	if err != nil {
		return "$: the expected document is not JSON"
	}
	g, err := decodeJSON(got)
	if err != nil {
		return "$: not JSON"
	}
	return diffValue("$", w, g)
}

// decodeJSON decodes one JSON document, keeping numbers as written.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON document")
	}
	return v, nil
}

func diffValue(path string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		if g, ok := got.(map[string]any); ok {
			return diffObject(path, w, g)
		}
	case []any:
		if g, ok := got.([]any); ok {
			return diffArray(path, w, g)
		}
	case json.Number:
		if g, ok := got.(json.Number); ok && sameNumber(w, g) {
			return ""
		}
	default: // string, bool, nil
		if want == got {
			return ""
		}
	}
	return fmt.Sprintf("%s: want %s, got %s", path, showValue(want), showValue(got))
}

func diffObject(path string, want, got map[string]any) string {
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		if !ok {
			return fmt.Sprintf("%s: member missing (want %s)", memberPath(path, name),
				showValue(want[name]))
		}
		if d := diffValue(memberPath(path, name), want[name], g); d != "" {
			return d
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			return fmt.Sprintf("%s: unexpected member (got %s)", memberPath(path, name),
				showValue(got[name]))
		}
	}
	return ""
}

func diffArray(path string, want, got []any) string {
	for i := range min(len(want), len(got)) {
		if d := diffValue(fmt.Sprintf("%s[%d]", path, i), want[i], got[i]); d != "" {
			return d
		}
	}
	if len(want) != len(got) {
		return fmt.Sprintf("%s: want %d items, got %d", path, len(want), len(got))
	}
	return ""
}

// sameNumber compares two JSON numbers by exact value.
func sameNumber(a, b json.Number) bool {
	x, okA := new(big.Rat).SetString(string(a))
	y, okB := new(big.Rat).SetString(string(b))
	if !okA || !okB {
		return a == b
	}
	return x.Cmp(y) == 0
}

// memberPath appends a member name to a path, quoted when it is not a
// plain identifier.
func memberPath(path, name string) string {
	plain := name != ""
	for _, r := range name {
		plain = plain && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			r >= '0' && r <= '9')
	}
	if plain {
		return path + "." + name
	}
	return path + "[" + strconv.Quote(name) + "]"
}

// showValue renders a decoded value as short JSON for a reason.
func showValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v)
	}
	return cut(string(bytes.TrimSpace(b.Bytes())), 80)
}

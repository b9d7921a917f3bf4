package envelope_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/gwcert/gwcert/envelope"
)

// HasMember must agree with decoding the whole document, on documents
// whose members hide the name in strings, escapes and nested values.
func TestHasMemberAgreesWithEncodingJSON(t *testing.T) {
	docs := []string{
		`{"amount":"1"}`, ` { "a" : 1 , "amount" : null } `, `{"x":{"amount":1}}`,
		`{"x":["amount",{"amount":2}],"y":"amount"}`, `{"\u0061mount":true}`, `{"am\"ount":1}`,
		`{"s":"\\\"amount\":1"}`, `[{"amount":1}]`, `"amount"`, `{}`, `{"a":-1.5e3,"amount":[]}`,
		`{"a":"}","b":"{","amount":0}`, `{"a":{"b":{"c":[1,2,{"d":"]"}]}},"amount":"x"}`,
	}
	for _, doc := range docs {
		if !json.Valid([]byte(doc)) {
			t.Fatalf("premise: %s is valid JSON", doc)
		}
		if got, want := envelope.HasMember([]byte(doc), "amount"), reference(doc, "amount"); got != want {
			t.Errorf("HasMember(%s) = %v, want %v", doc, got, want)
		}
	}
}

// FuzzHasMember checks the same agreement on any valid JSON.
func FuzzHasMember(f *testing.F) {
	// The seeds are files in testdata/fuzz/FuzzHasMember.
	f.Fuzz(func(t *testing.T, doc, name string) {
		if !json.Valid([]byte(doc)) {
			return
		}
		if got, want := envelope.HasMember([]byte(doc), name), reference(doc, name); got != want {
			t.Fatalf("HasMember(%q, %q) = %v, want %v", doc, name, got, want)
		}
	})
}

func reference(doc, name string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(doc), &m) != nil {
		return false
	}
	_, ok := m[name]
	return ok
}

func BenchmarkHasMember64KiB(b *testing.B) {
	items := make([]map[string]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		items = append(items, map[string]string{"id": string(rune('a' + rand.IntN(26))), "note": "ok"})
	}
	doc, _ := json.Marshal(map[string]any{"items": items, "amount": "10.00"})
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if !envelope.HasMember(doc, "amount") {
			b.Fatal("member not found")
		}
	}
}

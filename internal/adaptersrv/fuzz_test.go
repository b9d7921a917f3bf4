package adaptersrv

import (
	"encoding/json"
	"testing"
)

// FuzzAdapterRequest feeds the Go adapter arbitrary request lines: every
// line gets exactly one answer object holding an id and one result.
func FuzzAdapterRequest(f *testing.F) {
	// The seeds are files in testdata/fuzz/FuzzAdapterRequest.
	f.Fuzz(func(t *testing.T, line string) {
		ans := Answer([]byte(line))
		if _, ok := ans["id"]; !ok {
			t.Fatalf("answer without id: %v", ans)
		}
		results := 0
		for _, k := range []string{"token", "plaintext", "header_secrets", "error"} {
			if _, ok := ans[k]; ok {
				results++
			}
		}
		if results != 1 {
			t.Fatalf("answer with %d results: %v", results, ans)
		}
		if _, err := json.Marshal(ans); err != nil {
			t.Fatalf("answer does not encode: %v", err)
		}
	})
}

package adaptersrv

import (
	"encoding/json"
	"testing"
)

// FuzzAdapterRequest feeds the Go adapter arbitrary request lines: every
// line gets exactly one answer object holding an id and one result.
func FuzzAdapterRequest(f *testing.F) {
	f.Add(`{"id":1,"op":"seal","scheme":"aes-256-cbc","key":"` + zeros(64) + `","iv":"` + zeros(32) + `","plaintext":""}`)
	f.Add(`{"id":"x","op":"open","scheme":"aes-256-gcm","key":"` + zeros(64) + `","token":"AAAA"}`)
	f.Add(`{"id":3,"op":"header","scheme":"aes-256-cbc","key":"00","iv":"zz","epoch":"1e9"}`)
	f.Add(`[1,2,3]`)
	f.Add(`{"id":null}`)
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

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

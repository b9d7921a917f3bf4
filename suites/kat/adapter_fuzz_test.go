package kat

import "testing"

// FuzzAdapterAnswer feeds the reader of adapter answers arbitrary lines:
// it never panics, and an answer it takes carries the id asked for.
func FuzzAdapterAnswer(f *testing.F) {
	// The seeds are files in testdata/fuzz/FuzzAdapterAnswer.
	f.Fuzz(func(t *testing.T, line string, id int) {
		a := &Adapter{}
		ans, err := a.parse(line, id)
		if err == nil && (ans.ID == nil || *ans.ID != id) {
			t.Fatalf("took %q as the answer to request %d", line, id)
		}
	})
}

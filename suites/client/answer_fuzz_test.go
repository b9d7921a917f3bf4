package client

import (
	"encoding/json"
	"testing"
)

// FuzzParseAnswer feeds the driver-contract reader arbitrary lines: it
// never panics, and an answer it takes without a problem is one the
// contract allows: the step asked for, and either an error text or a
// status in range with a JSON body.
func FuzzParseAnswer(f *testing.F) {
	// The seeds are files in testdata/fuzz/FuzzParseAnswer.
	f.Fuzz(func(t *testing.T, line, want string) {
		a := parseAnswer(line, want)
		if a.Problem != "" {
			return
		}
		if a.Step != want {
			t.Fatalf("took an answer to step %q for step %q", a.Step, want)
		}
		if !a.Errored && (a.Status < 100 || a.Status > 599 || !json.Valid(a.Body)) {
			t.Fatalf("took an answer with status %d and body %q", a.Status, a.Body)
		}
	})
}

package profiles

import (
	"strings"
	"testing"
)

// FuzzParse feeds the profile loader arbitrary YAML: it must never panic,
// and whatever it accepts must validate again and never put a value that
// looks like a secret into an error.
func FuzzParse(f *testing.F) {
	// The fixed seeds are files in testdata/fuzz/FuzzParse.
	f.Add(string(mockYAML))
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse([]byte(doc), "fuzz.yaml")
		if err != nil {
			if strings.Contains(err.Error(), "SECRETSECRET") {
				t.Fatalf("an error quotes a secret-looking value: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse accepted a profile that Validate refuses: %v", err)
		}
	})
}

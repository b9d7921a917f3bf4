package profiles

import (
	"strings"
	"testing"
)

// FuzzParse feeds the profile loader arbitrary YAML: it must never panic,
// and whatever it accepts must validate again and never put a value that
// looks like a secret into an error.
func FuzzParse(f *testing.F) {
	f.Add(string(mockYAML))
	f.Add("name: x\nscheme: aes-256-gcm\nroutes:\n  - path: /a\n    payload: [1, 2]\n")
	f.Add("clients:\n  primary:\n    pass_key: SECRETSECRET\n")
	f.Add("routes: &a [*a]\n")
	f.Add("epoch_window: -5s\nmax_body_bytes: 1e99\n")
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

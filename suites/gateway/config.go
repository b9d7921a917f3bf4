// Package gateway is the gateway conformance suite: valid and hostile
// calls to a target gateway, each judged against PROTOCOL.md. One file
// per section of the protocol; every spec carries its check id as a
// label and its requirement as a report entry.
//
// The target is the bundled mock gateway, started in-process with a
// frozen clock so epoch boundaries are exact, or a real gateway named by
// a profile or a URL, whose credentials come from the environment.
package gateway

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gwcert/gwcert/profiles"
)

// Config selects the target and how strictly it is judged. The same
// fields are set by `go test` flags and by `gwcert conform`.
type Config struct {
	ProfilePath  string        // profile file; "" is the bundled mock's
	Target       string        // base URL overriding the profile's target
	Strict       bool          // a violated SHOULD fails instead of warning
	ExpectFail   string        // file of check ids expected to fail, with reasons
	TimingProbes int           // calls per side of the padding-oracle timing probe
	Timeout      time.Duration // per call
	// SlowSenderWait is how long the slow-sender check (S-7.6) gives the
	// gateway to cut off a body that never ends; 0 skips the check.
	SlowSenderWait time.Duration
}

// Defaults of the suite's settings.
const (
	DefaultTimingProbes = 100
	DefaultCallTimeout  = 10 * time.Second
	// DefaultSlowSenderWait outlasts the 30 s body timeouts common in
	// gateways and their proxies, with room to spare.
	DefaultSlowSenderWait = 40 * time.Second
)

// RegisterFlags defines the configuration's flags on fs, each prefixed
// with prefix ("gwcert." under go test, "" in the binary).
func (c *Config) RegisterFlags(fs *flag.FlagSet, prefix string) {
	fs.StringVar(&c.ProfilePath, prefix+"profile", "", "target profile `FILE` (default: the bundled mock)")
	fs.StringVar(&c.Target, prefix+"target", "", "base `URL` of the gateway, overriding the profile's target")
	fs.BoolVar(&c.Strict, prefix+"strict", false, "fail on a violated SHOULD instead of warning")
	fs.StringVar(&c.ExpectFail, prefix+"expect-fail", "",
		"`FILE` listing check ids expected to fail, one per line: ID reason")
	fs.IntVar(&c.TimingProbes, prefix+"timing-probes", DefaultTimingProbes,
		"calls per side of the padding-oracle timing probe")
	fs.DurationVar(&c.Timeout, prefix+"call-timeout", DefaultCallTimeout, "longest wait for one answer")
	fs.DurationVar(&c.SlowSenderWait, prefix+"slow-sender-wait", DefaultSlowSenderWait,
		"how long a body that never ends may be held before the gateway must cut it off (S-7.6); 0 skips it")
}

// LoadProfile reads the configured profile, or the bundled mock's.
func (c *Config) LoadProfile() (*profiles.Profile, error) {
	if c.ProfilePath == "" {
		return profiles.Default(), nil
	}
	return profiles.Load(c.ProfilePath)
}

// ExpectedFailures maps check ids to the reason they are expected to
// fail.
type ExpectedFailures map[string]string

// LoadExpectedFailures reads an expect-fail file: one check id a line,
// then the reason; blank lines and lines starting with # are ignored.
func LoadExpectedFailures(path string) (ExpectedFailures, error) {
	out := ExpectedFailures{}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("expect-fail: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var problems []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if !knownID(id) {
			problems = append(problems, fmt.Sprintf("%s:%d: %q is not a check id of this suite", path, n, id))
			continue
		}
		if strings.TrimSpace(reason) == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: %s needs a reason after the id", path, n, id))
		}
		out[id] = strings.TrimSpace(reason)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("expect-fail:\n  %s", strings.Join(problems, "\n  "))
	}
	return out, sc.Err()
}

func knownID(id string) bool {
	return (strings.HasPrefix(id, "G-") || strings.HasPrefix(id, "S-")) && lookupOK(id)
}

// Preflight reports configuration problems before any spec runs: a real
// target needs the primary client's variables. Problems name variables,
// never values.
func Preflight(c Config, p *profiles.Profile, lookup profiles.Lookup) error {
	if c.Target == "" && p.Target == "" {
		return nil
	}
	if _, err := p.Credentials(profiles.Primary, lookup); err != nil {
		return fmt.Errorf("the primary client's credentials: %w", err)
	}
	return nil
}

// Package profiles reads target descriptions: which gateway the suites, the
// load runner and certification talk to, how it encrypts, which routes it
// serves and what it is expected to answer. A profile is a YAML file; the
// secrets it needs never live in the file but in environment variables the
// profile names.
package profiles

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Profile describes one target gateway. Parse and Load return profiles with
// every default filled and every field validated; a Profile built in code
// should be checked with Validate before use.
type Profile struct {
	// Name identifies the profile in reports.
	Name string
	// Target is the base URL of the gateway; empty means the bundled mock
	// gateway, run in-process.
	Target string
	// Scheme names the cipher scheme: "aes-256-cbc" or "aes-256-gcm".
	Scheme string
	// KeyEncoding says how keys are handed over: "base64" (44 characters of
	// standard base64) or "raw" (a 32-byte string used as the key itself).
	KeyEncoding string
	// EpochWindow is how old an epoch may be; whole seconds.
	EpochWindow time.Duration
	// MaxFutureSkew is how far ahead an epoch may be; whole seconds.
	MaxFutureSkew time.Duration
	// ClockMargin is slack added to boundary checks against a real target
	// whose clock differs from ours; zero against the mock.
	ClockMargin time.Duration
	// Strict turns a violated SHOULD of the protocol from a WARN into a
	// FAIL.
	Strict bool
	// ReplayDetection says whether the target is expected to reject a
	// header_secrets value it has already seen.
	ReplayDetection bool
	// MaxBodyBytes is the largest request body the target accepts.
	MaxBodyBytes int64
	// Routes lists the API paths the suites and the load runner call.
	Routes []Route
	// UnknownPath is a path the target does not serve, for the unknown
	// route check.
	UnknownPath string
	// Errors holds exact expectations for failure answers, keyed by check
	// id such as "G-6.1". A check without an entry only requires the class
	// of answer (non-2xx, plain JSON, no ResponseData).
	Errors map[string]ErrorExpectation
	// Clients names, per client, the environment variables that hold its
	// credentials. "primary" is always present; "peer" is the second client
	// of the cross-client checks.
	Clients map[string]ClientRef
}

// Route is one API path of the target with a sample payload.
type Route struct {
	// Path is the API path, starting with "/".
	Path string
	// Method is the HTTP method, POST unless the profile says otherwise.
	Method string
	// Payload is the sample API payload as compact JSON; the sealed
	// RequestData of every call to this route.
	Payload json.RawMessage
	// ExpectField, when set, names a top-level member the opened answer
	// must hold.
	ExpectField string
	// Weight is the route's share of the load, relative to the other
	// routes; at least 1.
	Weight int
	// Status is the status the bundled mock answers this route with; it
	// has no effect on a real target.
	Status int
	// Answer is the JSON the bundled mock seals into its answer for this
	// route; nil leaves the mock's built-in handler (an echo on /api/echo).
	// It has no effect on a real target.
	Answer json.RawMessage
}

// ClientRef names the environment variables that hold one client's
// credentials. The profile holds only these names, never the values.
type ClientRef struct {
	PassKeyEnv      string
	ClientIDEnv     string
	ClientSecretEnv string
	KeyEnv          string
}

// ErrorExpectation is the exact failure answer a check expects. A zero
// Status or an empty Text is not compared.
type ErrorExpectation struct {
	Status int
	Text   string
}

//go:embed mock.yaml
var mockYAML []byte

// Default returns the profile of the bundled mock gateway, embedded in the
// program so that gwcert works without a profile file. Each call returns a
// fresh copy the caller may change.
func Default() *Profile {
	p, err := Parse(mockYAML, "mock.yaml")
	if err != nil {
		panic("profiles: embedded mock.yaml is invalid: " + err.Error())
	}
	return p
}

// Load reads the profile file at path; see Parse.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	return Parse(data, path)
}

// Parse reads a profile from YAML. source names the document in errors
// (usually its file name) and gives the profile its name when the document
// has none. Parsing is strict: an unknown field, a field given twice or a
// value of the wrong type is a problem, defaults are filled, and then the
// whole profile is validated. All problems come back at once in a
// *ValidationError; a YAML syntax error is returned as is, with its line.
func Parse(data []byte, source string) (*Profile, error) {
	root, err := parseYAML(data, source)
	if err != nil {
		return nil, err
	}
	p := newDefaults(baseName(source))
	d := newDecoder()
	d.profile(root, p)
	if len(p.Routes) == 0 {
		p.Routes = []Route{defaultEchoRoute()}
	}
	problems := append(d.problems, d.unrepeated(p.check(d.lines))...)
	if len(problems) > 0 {
		return nil, newValidationError(source, problems)
	}
	return p, nil
}

// IsMock reports whether the profile targets the bundled mock gateway.
func (p *Profile) IsMock() bool {
	return p.Target == ""
}

// URL joins the profile's target and an API path, with one slash between
// them whatever the target ends with.
func (p *Profile) URL(path string) string {
	return strings.TrimRight(p.Target, "/") + "/" + strings.TrimLeft(path, "/")
}

// Route returns the route with the given path, if the profile has one.
func (p *Profile) Route(path string) (Route, bool) {
	for _, r := range p.Routes {
		if r.Path == path {
			return r, true
		}
	}
	return Route{}, false
}

// baseName turns a file name into a profile name: "dir/mock.yaml" is "mock".
func baseName(source string) string {
	base := filepath.Base(source)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

package brokengw

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// Fixture is the bundled mock gateway with one behaviour broken.
type Fixture struct {
	// Name is short and stable, usable as a subtest name.
	Name string
	// Breaks says in words what the gateway gets wrong.
	Breaks string
	// Want maps check ids to the verdict the gateway suite must give at
	// least one of that id's cases, in the default (not strict) mode:
	// FAIL for a MUST, WARN for a SHOULD. It lists every id the breakage
	// makes fail, so a FAIL outside it is a fault of the fixture or of
	// the suite.
	Want map[string]reports.Verdict
	// Tune, if set, changes the mock's configuration before it is built.
	Tune func(*mockgateway.Config)
	// Wrap, if set, returns the handler served in front of the mock; creds
	// are the clients the mock knows, by name.
	Wrap func(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler
	// ReadTimeout is how long [Serve]'s server waits for a whole
	// request; 0 means DefaultReadTimeout, NoReadTimeout means for ever.
	ReadTimeout time.Duration
}

// DefaultReadTimeout cuts off a body that never ends at fixtures' servers
// soon, so the gateway suite's slow-sender check is quick against them.
const DefaultReadTimeout = time.Second

// NoReadTimeout, given as Fixture.ReadTimeout, lets a request take for
// ever to arrive.
const NoReadTimeout time.Duration = -1

// verdicts is the type of Fixture.Want.
type verdicts = map[string]reports.Verdict

// All returns every fixture, in a stable order. Each call returns fresh
// values the caller may change.
func All() []Fixture {
	return slices.Concat(configFixtures(), authFixtures(), bodyFixtures(), answerFixtures())
}

// ByName returns the fixture called name.
func ByName(name string) (Fixture, bool) {
	for _, f := range All() {
		if f.Name == name {
			return f, true
		}
	}
	return Fixture{}, false
}

// Build returns the handler of f: the mock gateway of the bundled
// profile and the public test credentials, tuned and wrapped as f says.
// A Fixture with neither Tune nor Wrap is the unbroken mock.
func Build(f Fixture) (http.Handler, error) {
	creds := profiles.MockCredentials
	cfg, err := mockgateway.FromProfile(profiles.Default(), creds)
	if err != nil {
		return nil, fmt.Errorf("brokengw: %s: %w", f.Name, err)
	}
	if f.Tune != nil {
		f.Tune(&cfg)
	}
	g, err := mockgateway.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("brokengw: %s: %w", f.Name, err)
	}
	if f.Wrap == nil {
		return g, nil
	}
	if _, err := newKeyring(creds); err != nil {
		return nil, fmt.Errorf("brokengw: %s: %w", f.Name, err)
	}
	return f.Wrap(g, creds), nil
}

// Serve builds f and serves it on a free port of 127.0.0.1. The caller
// closes the server.
func Serve(f Fixture) (*httptest.Server, error) {
	h, err := Build(f)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("brokengw: %s: listen: %w", f.Name, err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h,
		ReadTimeout: max(cmp.Or(f.ReadTimeout, DefaultReadTimeout), 0)}}
	srv.Start()
	return srv, nil
}

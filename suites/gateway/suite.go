package gateway

import (
	"context"
	"net/http"
	"os"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/internal/target"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
	"github.com/gwcert/gwcert/suites/suiterun"
)

// suite is the state the specs share once the suite has started.
type suite struct {
	cfg      Config
	profile  *profiles.Profile
	expected ExpectedFailures
	t        *target.Target
	clock    func() time.Time
	margin   time.Duration // clock margin in force for boundary checks
	secrets  []string      // what must never appear in evidence or answers
}

// minRealMargin is the least clock margin against a gateway outside this
// process: its clock ticks on its own, so an epoch placed exactly at a
// window's edge can cross it before the gateway reads it.
const minRealMargin = time.Second

// Options are what [Declare] needs besides the flags: how to reach the
// target. Tests use Wrap to put a deliberately broken gateway in front
// of the mock.
type Options struct {
	Config   Config
	Profile  *profiles.Profile
	Expected ExpectedFailures
	Lookup   profiles.Lookup
	Wrap     func(mock *mockgateway.Gateway) http.Handler
}

// Declare declares the suite for a loaded profile. The target opens in
// BeforeSuite, once per Ginkgo process.
func Declare(o Options) {
	s := &suite{cfg: o.Config, profile: o.Profile, expected: o.Expected}
	if s.expected == nil {
		s.expected = ExpectedFailures{}
	}
	BeforeSuite(func() { s.open(o) })
	declareSection4(s)
	declareSection5(s)
	declareSection6(s)
	declareSection7(s)
}

func (s *suite) open(o Options) {
	lookup := o.Lookup
	if lookup == nil {
		lookup = os.LookupEnv
	}
	// Against the in-process mock the clock is frozen and shared, so an
	// epoch exactly at the window's edge stays at the edge.
	frozen := time.Now().Truncate(time.Second)
	opts := target.Options{Profile: s.profile, URL: s.cfg.Target, Lookup: lookup,
		Tune: func(c *mockgateway.Config) { c.BodyReadTimeout = mockBodyTimeout }}
	if o.Wrap != nil {
		opts.Wrap = func(h http.Handler) http.Handler { return o.Wrap(h.(*mockgateway.Gateway)) }
	}
	if s.cfg.Target == "" && s.profile.Target == "" {
		opts.Clock = func() time.Time { return frozen }
		s.clock = opts.Clock
	} else {
		s.clock = time.Now
		s.margin = max(s.profile.ClockMargin, minRealMargin)
	}
	t, err := target.Open(context.Background(), opts)
	if err != nil {
		Fail("opening the target: " + err.Error())
	}
	s.t = t
	DeferCleanup(t.Close)
	for _, c := range []*target.Client{t.Primary, t.Peer} {
		if c != nil {
			s.secrets = append(s.secrets, c.Secrets()...)
		}
	}
}

// now is the suite's time for epochs.
func (s *suite) now() time.Time { return s.clock() }

// redact replaces every known secret in text; it guards evidence
// against gateways that echo what they should not.
func (s *suite) redact(text string) string {
	for _, sec := range s.secrets {
		if len(sec) >= 8 {
			text = strings.ReplaceAll(text, sec, "[redacted]")
		}
	}
	return text
}

// conclude records the verdict of a check, after the suite's policy: a
// SHOULD that is not met warns (fails with --strict), INFO never fails,
// and a listed expected failure neither fails nor may pass unnoticed.
func (s *suite) conclude(id, sub string, ok bool, reason string, ev *reports.Evidence) {
	def := checks.MustLookup(id)
	v := reports.Pass
	if !ok {
		v = s.missVerdict(def)
	}
	c := def.Check(v, reason, ev)
	if sub != "" {
		c.Name = def.Title + ": " + sub
	}
	if why, listed := s.expected[id]; listed {
		c = expectFail(c, why)
	}
	suiterun.Conclude(c)
}

func (s *suite) missVerdict(def checks.Def) reports.Verdict {
	switch {
	case def.Level == reports.Note:
		return reports.Info
	case def.Level == reports.Should && !s.cfg.Strict && !s.profile.Strict:
		return reports.Warn
	}
	return reports.Fail
}

// expectFail applies an expect-fail entry to one case: a failure becomes
// a WARN that names the entry. Whether the entry went stale (no case of
// its id failed) is decided once all cases are in; see
// suiterun.Options.ExpectedFailures.
func expectFail(c reports.Check, why string) reports.Check {
	if c.Verdict == reports.Fail {
		c.Verdict = reports.Warn
		c.Reason = suiterun.ExpectedFailurePrefix + "(" + why + "): " + c.Reason
	}
	return c
}

// skip records a SKIP with its reason.
func (s *suite) skip(id, sub, reason string) {
	def := checks.MustLookup(id)
	c := def.Check(reports.Skip, reason, nil)
	if sub != "" {
		c.Name = def.Title + ": " + sub
	}
	suiterun.Conclude(c)
}

// requirement adds the requirement text of check id to the spec's report.
func requirement(id string) {
	AddReportEntry("requirement", id+": "+checks.MustLookup(id).Requirement, ReportEntryVisibilityFailureOrVerbose)
}

func lookupOK(id string) bool {
	_, ok := checks.Lookup(id)
	return ok
}

// titleOf returns the catalogue title of id.
func titleOf(id string) string { return checks.MustLookup(id).Title }

// titled returns the catalogue check id with a verdict and reason.
func titled(id string, v reports.Verdict, reason string, ev *reports.Evidence) reports.Check {
	return checks.MustLookup(id).Check(v, reason, ev)
}

// record concludes a check whose verdict is already final.
func (s *suite) record(c reports.Check) { suiterun.Conclude(c) }

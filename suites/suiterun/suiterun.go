// Package suiterun connects gwcert's Ginkgo suites to its reports. A spec
// judges a check and calls [Conclude]; the verdict travels as a Ginkgo
// report entry, so it survives parallel runs, and [Collect] turns the
// suite's Ginkgo report into a [reports.Report] when the suite ends.
//
// The same suites run under `go test` or the ginkgo CLI and inside the
// gwcert binary ([Run]), for users who have only the binary.
package suiterun

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/gwcert/gwcert/reports"
)

// entryName names the report entry that carries a judged check.
const entryName = "gwcert.check"

// checkID matches the stable check ids of DESIGN.md (G-, C-, K-, S-) and
// the load run's L-.
var checkID = regexp.MustCompile(`^[GCKSL]-[0-9]+(\.[0-9A-Za-z]+)*$`)

// Record attaches a judged check to the running spec without ending it.
func Record(c reports.Check) {
	AddReportEntry(entryName, c, ReportEntryVisibilityNever)
}

// Conclude records c and ends the spec the way its verdict says: FAIL
// fails the spec with the reason and evidence, SKIP skips it with the
// reason; PASS, WARN and INFO let it pass.
func Conclude(c reports.Check) {
	Record(c)
	switch c.Verdict {
	case reports.Fail:
		Fail(failureText(c), 1)
	case reports.Skip:
		Skip(c.Reason)
	}
}

// failureText is what Ginkgo prints for a failed check: the reason, then
// expected and actual, as h2spec-style conformance output reads.
func failureText(c reports.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", c.ID, c.Name, c.Reason)
	if e := c.Evidence; e != nil {
		if len(e.Expected) > 0 {
			fmt.Fprintf(&b, "\n  expected (any of): %s", strings.Join(e.Expected, " | "))
		}
		if e.Actual != "" {
			fmt.Fprintf(&b, "\n  actual: %s", e.Actual)
		}
	}
	return b.String()
}

// Options describe the report a suite run produces.
type Options struct {
	Suite        string // kat, gateway, client
	Target       string // what was tested: codec, adapter command, URL
	Profile      string
	VectorDigest string
	Version      string
	ReportDir    string                // where report.json and junit.xml go; "" writes none
	OnReport     func(*reports.Report) // called with the finished report, if set
	// ExpectedFailures lists check ids known to fail, with the reason. A
	// listed id none of whose cases failed is a stale entry: the report
	// gets a FAIL saying so, and the suite fails.
	ExpectedFailures map[string]string
}

// ExpectedFailurePrefix starts the reason of a failure that an
// expect-fail entry turned into a WARN.
const ExpectedFailurePrefix = "expected failure "

// Collect registers a ReportAfterSuite node that builds the report and
// writes it. Call it while the spec tree is being declared.
//
// The node takes a SpecContext only so that Ginkgo waits for it (up to
// its grace period, 30 s by default): a node without one is abandoned
// the moment a second SIGINT or SIGTERM arrives while it runs, and the
// gwcert binary could then exit with no report or only part of one. The
// write is short, so the node does not watch the context. A third
// signal still makes Ginkgo skip the node or abandon it mid-write, as
// Ginkgo announces: the folder may then lack junit.xml or both files,
// and may keep a temporary file.
func Collect(opts Options) {
	ReportAfterSuite("gwcert report", func(_ SpecContext, r types.Report) {
		rep := FromGinkgo(r, opts)
		stale := addStaleEntries(rep, opts.ExpectedFailures)
		if opts.ReportDir != "" {
			if err := reports.WriteDir(opts.ReportDir, rep); err != nil {
				Fail("writing the report: " + err.Error())
			}
		}
		if opts.OnReport != nil {
			opts.OnReport(rep)
		}
		if len(stale) > 0 {
			Fail("stale expect-fail entries (their checks passed): " + strings.Join(stale, ", "))
		}
	})
}

// addStaleEntries adds a FAIL for every expected failure whose check ran
// and never failed, and returns their ids.
func addStaleEntries(rep *reports.Report, expected map[string]string) []string {
	var stale []string
	for _, id := range slices.Sorted(maps.Keys(expected)) {
		ran, failed := false, false
		for _, c := range rep.Checks {
			if c.ID == id {
				ran = true
				failed = failed || strings.HasPrefix(c.Reason, ExpectedFailurePrefix)
			}
		}
		if ran && !failed {
			stale = append(stale, id)
			rep.Add(reports.Check{ID: id, Name: "expect-fail entry", Verdict: reports.Fail,
				Reason: fmt.Sprintf("listed as an expected failure (%s) but every case passed: "+
					"remove the stale entry", expected[id])})
		}
	}
	return stale
}

// FromGinkgo turns a Ginkgo suite report into a gwcert report: one check
// per spec that ran. A spec that failed or panicked after recording a
// passing verdict is a FAIL; specs a label filter left out are omitted.
func FromGinkgo(r types.Report, opts Options) *reports.Report {
	rep := reports.New(opts.Suite, opts.Target, opts.Version)
	rep.Started = r.StartTime.UTC().Truncate(1e9)
	rep.Finished = r.EndTime.UTC().Truncate(1e9)
	rep.Profile = opts.Profile
	rep.VectorDigest = opts.VectorDigest
	rep.Interrupted = r.SpecialSuiteFailureReasons != nil && containsInterrupt(r.SpecialSuiteFailureReasons)
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		if c, ok := checkOf(sr); ok {
			rep.Add(c)
		}
	}
	return rep
}

func containsInterrupt(reasons []string) bool {
	for _, s := range reasons {
		if strings.Contains(strings.ToLower(s), "interrupt") {
			return true
		}
	}
	return false
}

// checkOf derives the check of one spec from its recorded entry and its
// final state.
func checkOf(sr types.SpecReport) (reports.Check, bool) {
	c, recorded := recordedCheck(sr)
	if !recorded {
		c = reports.Check{ID: idFromLabels(sr.Labels()), Name: sr.FullText(), Verdict: reports.Pass}
	}
	c.Duration = sr.RunTime.Seconds()
	switch {
	case sr.State == types.SpecStateSkipped && !recorded && sr.Failure.Message == "":
		return c, false // left out by a filter, never ran
	case sr.State == types.SpecStateSkipped:
		c.Verdict = reports.Skip
		if c.Reason == "" {
			c.Reason = sr.Failure.Message
		}
	case sr.State == types.SpecStatePending:
		c.Verdict, c.Reason = reports.Skip, "pending: not written yet"
	case sr.State.Is(types.SpecStateFailureStates):
		if c.Verdict != reports.Fail || c.Reason == "" {
			c.Reason = strings.TrimSpace(sr.State.String() + ": " + sr.Failure.Message)
		}
		c.Verdict = reports.Fail
	}
	return c, true
}

func recordedCheck(sr types.SpecReport) (reports.Check, bool) {
	for i := len(sr.ReportEntries) - 1; i >= 0; i-- {
		e := sr.ReportEntries[i]
		if e.Name != entryName {
			continue
		}
		// In one process the entry holds the value itself; across parallel
		// processes it arrives as JSON.
		if c, ok := e.Value.GetRawValue().(reports.Check); ok {
			return c, true
		}
		var c reports.Check
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &c); err == nil && c.ID != "" {
			return c, true
		}
	}
	return reports.Check{}, false
}

func idFromLabels(labels []string) string {
	for _, l := range labels {
		if checkID.MatchString(l) {
			return l
		}
	}
	return "unlabelled"
}

// binaryT stands in for *testing.T when a suite runs inside the gwcert
// binary.
type binaryT struct{ failed bool }

func (t *binaryT) Fail() { t.failed = true }

// Run runs the suite declared so far inside the current process and
// returns its report; it registers the collector itself. Ginkgo allows
// one run per process, so the gwcert binary runs one suite per
// invocation.
func Run(opts Options, suiteCfg types.SuiteConfig, reporterCfg types.ReporterConfig) *reports.Report {
	var rep *reports.Report
	user := opts.OnReport
	opts.OnReport = func(r *reports.Report) {
		rep = r
		if user != nil {
			user(r)
		}
	}
	Collect(opts)
	RunSpecs(&binaryT{}, "gwcert "+opts.Suite, suiteCfg, reporterCfg)
	return rep
}

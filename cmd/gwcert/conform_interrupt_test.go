package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

// Settings of the interrupted conform runs. Every answer of the target
// mock is slowed, so the suite takes several seconds and is surely still
// running when the signal comes. A short timing probe and no slow-sender
// check (S-7.6 holds one call open for the mock's 10 s body timeout) keep
// the wait for the first passed specs short whichever spec runs first.
const (
	interruptLatency   = "20ms"
	interruptProbes    = "5"
	interruptAfterSpec = 3                // passed specs to see before signalling
	interruptStartWait = 30 * time.Second // longest wait for those specs
	interruptExitWait  = 20 * time.Second // longest wait for the exit after the signals
	// interruptGap parts two signals, so they are not merged into one and
	// the second still finds the run winding down (that takes some 10 ms).
	interruptGap = 2 * time.Millisecond
)

// SIGINT or SIGTERM in the middle of a conform run ends it with exit
// status 1, and the report folder holds complete, readable files: a
// report.json marked interrupted that keeps every check judged before
// the signal, and a junit.xml that agrees with it. A second SIGINT a
// moment later, while the run winds down, neither kills the process nor
// loses the reports (suiterun's TestSecondInterruptWaitsForTheReportNode
// pins the second signal to the report node itself).
func TestConformInterruptWritesReadableReports(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		signals []os.Signal
	}{
		{"SIGINT", []os.Signal{os.Interrupt}},
		{"SIGTERM", []os.Signal{syscall.SIGTERM}},
		{"SIGINT twice", []os.Signal{os.Interrupt, os.Interrupt}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			run := signalConform(t, dir, tc.signals...)
			require.Equal(t, exitFailed, run.code, "exit status after %s:\n%s", tc.name, run.out)
			assert.Contains(t, run.out, "report: "+dir, "the summary is printed after the signal")

			rep := result{stdout: run.out}.withReport(t, dir).report
			requireInterruptedReport(t, rep, run.passed)
			requireJUnitAgrees(t, filepath.Join(dir, "junit.xml"), rep)
			requireOnlyCompleteFiles(t, dir)
		})
	}
}

// signalledRun is a conform run that was sent signals.
type signalledRun struct {
	passed int    // specs seen passing before the first signal
	code   int    // exit status
	out    string // stdout and stderr
}

// signalConform runs `gwcert conform` against a slowed mock, sends the
// signals once a few specs have passed, and waits for the process to
// end. A later signal may find the process already gone.
func signalConform(t *testing.T, dir string, signals ...os.Signal) signalledRun {
	t.Helper()
	p := startConform(t, dir)
	var run signalledRun
	started := p.waitForOutput(interruptStartWait, func(out string) bool {
		run.passed = strings.Count(out, "•")
		return run.passed >= interruptAfterSpec
	})
	require.True(t, started, "gwcert conform passed %d of the %d specs awaited within %s:\n%s",
		run.passed, interruptAfterSpec, interruptStartWait, p.output())

	for i, sig := range signals {
		if i > 0 {
			time.Sleep(interruptGap)
		}
		err := p.cmd.Process.Signal(sig)
		if i > 0 && errors.Is(err, os.ErrProcessDone) {
			break
		}
		require.NoError(t, err, "sending %v", sig)
	}
	select {
	case <-p.exited:
	case <-time.After(interruptExitWait):
		t.Fatalf("gwcert conform did not exit within %s of %v:\n%s", interruptExitWait,
			signals, p.output())
	}
	run.code, run.out = exitStatus(t, p.err), p.output()
	return run
}

// startConform starts `gwcert conform` against a mock whose answers are
// slowed, writing its report into dir.
func startConform(t *testing.T, dir string) *gwcertProcess {
	t.Helper()
	_, env := startFaultyMock(t, "--latency", interruptLatency)
	return startGwcert(t, env, "conform", "--target", envValue(env, "GWCERT_BASE_URL"),
		"--timing-probes", interruptProbes, "--slow-sender-wait", "0", "--report-dir", dir)
}

// requireInterruptedReport requires rep to say it was interrupted and to
// keep a verdict for at least the specs seen passing before the signal.
func requireInterruptedReport(t *testing.T, rep *reports.Report, passed int) {
	t.Helper()
	assert.True(t, rep.Interrupted, "report.json must say the run was interrupted")
	assert.Equal(t, "gateway", rep.Suite)
	assert.False(t, rep.Finished.IsZero(), "report.json records when the run ended")
	require.NotEmpty(t, rep.Checks, "report.json must keep the checks judged before the signal")
	for _, c := range rep.Checks {
		assert.Contains(t, reports.Verdicts, c.Verdict, "%s has no valid verdict", c.ID)
	}
	s := rep.Summary
	assert.GreaterOrEqual(t, s.Pass+s.Warn+s.Info, passed,
		"%d specs passed before the signal; the report must count each", passed)
}

// junitTotals are the parts of junit.xml compared with report.json.
type junitTotals struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Cases []struct {
			Name string `xml:"name,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// requireJUnitAgrees requires the file at path to be one well-formed XML
// document whose counts match rep.
func requireJUnitAgrees(t *testing.T, path string, rep *reports.Report) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err, "junit.xml must exist after an interrupt")
	requireWellFormedXML(t, raw)

	var doc junitTotals
	require.NoError(t, xml.Unmarshal(raw, &doc), "junit.xml")
	cases := 0
	for _, s := range doc.Suites {
		cases += len(s.Cases)
	}
	assert.Equal(t, len(rep.Checks), doc.Tests, "junit.xml tests")
	assert.Equal(t, len(rep.Checks), cases, "junit.xml test cases")
	assert.Equal(t, rep.Summary.Fail, doc.Failures, "junit.xml failures")
}

// requireWellFormedXML reads every token of raw, so a document cut short
// or followed by anything but space fails.
func requireWellFormedXML(t *testing.T, raw []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(raw))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "junit.xml is not well-formed")
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				require.Empty(t, strings.TrimSpace(string(tok)), "text outside the root element")
			}
		}
	}
	require.Zero(t, depth, "junit.xml ends inside an element")
	require.Equal(t, 1, roots, "junit.xml holds one root element")
}

// requireOnlyCompleteFiles requires every file of dir to be one the
// report writer finished: report.json and junit.xml (checked by the
// caller) and any HTML page closed with </html>. Anything else, such as
// a temporary file left by an unfinished write, fails.
func requireOnlyCompleteFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		switch {
		case e.Name() == "report.json" || e.Name() == "junit.xml":
		case strings.HasSuffix(e.Name(), ".html"):
			raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			assert.True(t, strings.HasSuffix(strings.TrimSpace(string(raw)), "</html>"),
				"%s is cut short", e.Name())
		default:
			t.Errorf("unexpected file %s in the report folder", e.Name())
		}
	}
	assert.True(t, slices.Contains(names, "report.json") && slices.Contains(names, "junit.xml"),
		"the report folder holds %v", names)
}

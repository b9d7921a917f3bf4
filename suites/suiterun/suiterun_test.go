package suiterun

import (
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

func spec(state types.SpecState, msg string, labels []string, entries ...types.ReportEntry) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "case", LeafNodeLabels: labels,
		State: state, Failure: types.Failure{Message: msg}, RunTime: 1500 * time.Millisecond,
		ReportEntries: entries,
	}
}

func entry(c reports.Check) types.ReportEntry {
	return types.ReportEntry{Name: entryName, Value: types.WrapEntryValue(c)}
}

// jsonEntry is an entry as it arrives from another parallel process: the
// value only as JSON.
func jsonEntry(js string) types.ReportEntry {
	e := types.ReportEntry{Name: entryName}
	e.Value.AsJSON = js
	return e
}

func TestFromGinkgoMapsStatesToVerdicts(t *testing.T) {
	warn := reports.Check{ID: "G-6.6", Name: "future epoch", Verdict: reports.Warn, Reason: "accepted"}
	pass := reports.Check{ID: "G-4.1", Name: "route", Verdict: reports.Pass}
	r := types.Report{StartTime: time.Unix(100, 0), EndTime: time.Unix(160, 0), SpecReports: []types.SpecReport{
		spec(types.SpecStatePassed, "", []string{"G-6.6"}, entry(warn)),
		spec(types.SpecStatePassed, "", []string{"G-4.1"},
			jsonEntry(`{"id":"K-2.1","name":"from another process","verdict":"PASS"}`)),
		spec(types.SpecStateFailed, "boom", []string{"G-4.1"}, entry(pass)),
		spec(types.SpecStatePanicked, "nil map", []string{"G-5.1"}),
		spec(types.SpecStateSkipped, "no peer client", []string{"G-6.4"}),
		spec(types.SpecStateSkipped, "", []string{"G-6.9"}), // filtered out: omitted
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}
	rep := FromGinkgo(r, Options{Suite: "gateway", Target: "t", Version: "v"})
	require.Len(t, rep.Checks, 5)
	got := func(i int) (string, reports.Verdict) { return rep.Checks[i].ID, rep.Checks[i].Verdict }

	id, v := got(0)
	assert.Equal(t, "G-6.6", id)
	assert.Equal(t, reports.Warn, v, "a recorded WARN on a passing spec stays WARN")
	id, v = got(1)
	assert.Equal(t, "K-2.1", id, "entries that crossed processes as JSON are read")
	assert.Equal(t, reports.Pass, v)
	_, v = got(2)
	assert.Equal(t, reports.Fail, v, "a spec that failed after recording PASS is a FAIL")
	assert.Contains(t, rep.Checks[2].Reason, "boom")
	id, v = got(3)
	assert.Equal(t, "G-5.1", id, "the id comes from the labels when nothing was recorded")
	assert.Equal(t, reports.Fail, v)
	_, v = got(4)
	assert.Equal(t, reports.Skip, v)
	assert.Equal(t, "no peer client", rep.Checks[4].Reason)
	assert.Equal(t, 1.5, rep.Checks[0].Duration)
	assert.Equal(t, reports.Summary{Pass: 1, Fail: 2, Warn: 1, Skip: 1}, rep.Summary)
	assert.Equal(t, time.Unix(160, 0).UTC(), rep.Finished)
}

func TestFailureTextShowsExpectedAndActual(t *testing.T) {
	c := reports.Check{ID: "G-6.5", Name: "stale epoch", Reason: "accepted",
		Evidence: &reports.Evidence{Expected: []string{"401", "any 4xx"}, Actual: "200"}}
	text := failureText(c)
	assert.Contains(t, text, "G-6.5 stale epoch: accepted")
	assert.Contains(t, text, "expected (any of): 401 | any 4xx")
	assert.Contains(t, text, "actual: 200")
}

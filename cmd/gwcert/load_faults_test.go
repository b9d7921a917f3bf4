package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/load"
)

func dirMetrics(t *testing.T, dir string) load.Metrics {
	t.Helper()
	return loadMetrics(t, result{}.withReport(t, dir).report)
}

func share(m load.Metrics, status string) float64 {
	return float64(m.StatusCodes[status]) / float64(m.Requests)
}

// Against a mock answering 30 % of calls 503 and dropping 10 %, with added
// latency, the run ends on time and counts each outcome.
func TestLoadCountsInjectedFaults(t *testing.T) {
	t.Parallel()
	_, env := startFaultyMock(t, "--error-share", "0.3", "--drop-share", "0.1", "--latency", "5ms")
	dir := t.TempDir()
	start := time.Now()
	res := gwcertEnv(t, time.Minute, env, "load", "--target", envValue(env, "GWCERT_BASE_URL"),
		"--rate", "100", "--duration", "3s", "--min-success", "0", "--quiet", "--report-dir", dir)
	require.Equal(t, 0, res.code, res.stdout+res.stderr)
	assert.Less(t, time.Since(start), 20*time.Second, "the run must end on time")
	m := dirMetrics(t, dir)
	assert.InDelta(t, 300, m.Requests, 30)
	assert.InDelta(t, 0.3, share(m, "503"), 0.12, "injected 503s")
	assert.InDelta(t, 0.1, share(m, "0"), 0.08, "dropped connections count as no answer")
	assert.Equal(t, uint64(m.StatusCodes["200"]), m.Successes, "only the 200s that opened succeed")
	total := 0
	for _, n := range m.StatusCodes {
		total += n
	}
	assert.Equal(t, int(m.Requests), total, "every request is counted once")
}

// A target that stops in the middle of the run: the run still ends on
// time and counts the calls that got no answer.
func TestLoadSurvivesTargetStoppingMidRun(t *testing.T) {
	t.Parallel()
	mock, env := startFaultyMock(t)
	time.AfterFunc(time.Second, func() { mock.cmd.Process.Kill() })
	dir := t.TempDir()
	start := time.Now()
	res := gwcertEnv(t, time.Minute, env, "load", "--target", envValue(env, "GWCERT_BASE_URL"),
		"--rate", "100", "--duration", "3s", "--timeout", "2s", "--quiet", "--report-dir", dir)
	assert.Equal(t, 1, res.code, "below 100 %% success the run fails")
	assert.Less(t, time.Since(start), 20*time.Second)
	m := dirMetrics(t, dir)
	assert.InDelta(t, 300, m.Requests, 30)
	assert.Positive(t, m.StatusCodes["200"], "calls before the stop succeeded")
	assert.Positive(t, m.StatusCodes["0"], "calls after the stop got no answer")
}

// SIGINT in the middle of a run stops it at once, and what was gathered
// is written and readable: the report, marked interrupted, and Vegeta's
// results file.
func TestLoadInterruptFlushesResults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := startGwcert(t, nil, "load", "--rate", "100", "--duration", "60s", "--quiet", "--report-dir", dir)
	time.Sleep(2 * time.Second)
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	if !p.waitExit(15 * time.Second) {
		t.Fatalf("gwcert load did not stop within 15 s of SIGINT:\n%s", p.output())
	}
	rep := result{}.withReport(t, dir).report
	assert.True(t, rep.Interrupted, "the report says the run was interrupted")
	m := dirMetrics(t, dir)
	assert.Positive(t, m.Requests)

	results := decodeLoadResults(t, filepath.Join(dir, "results.bin"))
	assert.Len(t, results, int(m.Requests), "results.bin holds every request of the report")
}

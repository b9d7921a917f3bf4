package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is go test -bench output as Go 1.26 prints it (columns
// narrowed), with a log line and a GOMAXPROCS=1 line (no suffix) mixed in.
const fixture = `goos: linux
goarch: amd64
pkg: github.com/gwcert/gwcert/envelope
cpu: AMD EPYC
BenchmarkSealRequest-2       	295132	1743 ns/op	 234.13 MB/s	   0 B/op	   0 allocs/op
BenchmarkSealRequestFresh-2  	235564	2408 ns/op	 169.45 MB/s	 624 B/op	   2 allocs/op
BenchmarkRawCBCSeal-2            	  794809	       898.7 ns/op	 453.97 MB/s
    bench_test.go:12: BenchmarkNote 3 lines of log
BenchmarkOpenResponse            	  107696	      6044 ns/op	       1 allocs/op
BenchmarkName-with-dash-4        	  10	      5 ns/op
PASS
ok  	github.com/gwcert/gwcert/envelope	6.129s
`

func TestParseResultsReadsEveryResultLine(t *testing.T) {
	got, err := parseResults(strings.NewReader(fixture))
	require.NoError(t, err)
	want := []result{
		{Name: "SealRequest", Procs: 2, N: 295132, NsPerOp: 1743, AllocsPerOp: 0, BytesPerOp: 0},
		{Name: "SealRequestFresh", Procs: 2, N: 235564, NsPerOp: 2408, AllocsPerOp: 2, BytesPerOp: 624},
		{Name: "RawCBCSeal", Procs: 2, N: 794809, NsPerOp: 898.7, AllocsPerOp: -1, BytesPerOp: -1},
		{Name: "OpenResponse", Procs: 1, N: 107696, NsPerOp: 6044, AllocsPerOp: 1, BytesPerOp: -1},
		{Name: "Name-with-dash", Procs: 4, N: 10, NsPerOp: 5, AllocsPerOp: -1, BytesPerOp: -1},
	}
	assert.Equal(t, want, got)

	r, ok := findResult(got, "RawCBCSeal")
	assert.True(t, ok)
	assert.Equal(t, 898.7, r.NsPerOp)
	_, ok = findResult(got, "Seal")
	assert.False(t, ok, "names match whole")
}

func TestParseResultsRejectsBrokenLines(t *testing.T) {
	for name, line := range map[string]string{
		"value without unit": "BenchmarkX-2 10 5 ns/op 7\n",
		"not a number":       "BenchmarkX-2 10 fast ns/op\n",
		"no ns/op":           "BenchmarkX-2 10 5 allocs/op\n",
	} {
		_, err := parseResults(strings.NewReader(line))
		assert.Error(t, err, name)
		assert.Contains(t, err.Error(), "line 1", name)
	}
}

func TestMedian(t *testing.T) {
	assert.Equal(t, 3.0, median([]float64{9, 1, 3}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 2, 3}))
	xs := []float64{3, 1, 2}
	median(xs)
	assert.Equal(t, []float64{3, 1, 2}, xs, "median must not reorder its input")
}

func TestSummarizeTakesMedianOfPerRoundRatios(t *testing.T) {
	p := pair{Label: "p", Baseline: "B", Candidate: "C", MaxRatio: 2, MaxAllocs: 2}
	samples := []sample{
		{res(100, 0), res(150, 1)}, // 1.5
		{res(200, 0), res(380, 1)}, // 1.9: the machine was slow for both
		{res(100, 0), res(900, 2)}, // 9.0: one disturbed candidate run
	}
	o := summarize(p, samples)
	assert.InDelta(t, 1.9, o.Ratio, 1e-9)
	assert.Equal(t, 100.0, o.BaseNs)
	assert.Equal(t, 380.0, o.CandNs)
	assert.Equal(t, 2.0, o.Allocs, "the largest allocs/op counts")
	assert.Equal(t, "met", o.verdict())
}

func TestVerdicts(t *testing.T) {
	both := pair{MaxRatio: 2, MaxAllocs: 2}
	allocsOnly := pair{MaxAllocs: 2}
	cases := []struct {
		o    outcome
		want string
	}{
		{outcome{Pair: both, Ratio: 2.0, Allocs: 2}, "met"},
		{outcome{Pair: both, Ratio: 2.01, Allocs: 0}, "NOT MET"},
		{outcome{Pair: both, Ratio: 1.2, Allocs: 3}, "NOT MET"},
		{outcome{Pair: both, Ratio: 1.2, Allocs: -1}, "NOT MET"},
		{outcome{Pair: allocsOnly, Ratio: 9, Allocs: 2}, "met"},
		{outcome{Pair: pair{MaxAllocs: -1}, Ratio: 9, Allocs: 9}, "report only"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.o.verdict(), "%+v", tc.o)
	}
}

func TestMeasureAlternatesSidesAndKeepsMissedTargetsOutOfErrors(t *testing.T) {
	pairs := []pair{
		{Label: "one", Baseline: "BaseA", Candidate: "CandA", MaxRatio: 2, MaxAllocs: 2},
		{Label: "two", Baseline: "BaseB", Candidate: "CandB", MaxRatio: 2, MaxAllocs: -1},
	}
	var calls []string
	fake := func(name string) (result, error) {
		calls = append(calls, name)
		if name == "CandB" {
			return res(500, 0), nil // five times the baseline: misses its target
		}
		return res(100, 0), nil
	}
	outcomes, err := measure(pairs, 3, fake, io.Discard)
	require.NoError(t, err, "a missed target is not an error")
	round := []string{"BaseA", "CandA", "BaseB", "CandB"}
	assert.Equal(t, append(append(append([]string{}, round...), round...), round...), calls)
	assert.Equal(t, "met", outcomes[0].verdict())
	assert.Equal(t, "NOT MET", outcomes[1].verdict())
	assert.Contains(t, summaryLine(outcomes), "targets met: 1 of 2")
}

func TestMeasureStopsOnARunError(t *testing.T) {
	broken := errors.New("benchmark crashed")
	fake := func(name string) (result, error) { return result{}, broken }
	_, err := measure(defaultPairs, 3, fake, io.Discard)
	assert.ErrorIs(t, err, broken)
}

func TestWriteTableShowsEveryColumn(t *testing.T) {
	var out strings.Builder
	o := outcome{Pair: defaultPairs[0], BaseNs: 880, CandNs: 1500, Ratio: 1.7, Allocs: 0}
	require.NoError(t, writeTable(&out, []outcome{o}))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, []string{"seal", "request,", "CBC", "RawCBCSeal", "SealRequest", "880",
		"1500", "1.70", "0", "ratio", "<=", "2.0,", "allocs", "<=", "2", "met"},
		strings.Fields(lines[1]))
}

func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n" +
		"processor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	assert.Equal(t, "AMD EPYC 7B13", cpuModel(info))
	assert.Equal(t, "unknown CPU", cpuModel("processor\t: 0\n"))
}

func TestParseFlagsReportsEveryProblem(t *testing.T) {
	_, err := parseFlags([]string{"-pairs", "2", "-bench-dir", "/no/such/dir", "extra"}, io.Discard)
	require.Error(t, err)
	parts := []string{"-pairs 2", "-bench-dir /no/such/dir", `unexpected arguments ["extra"]`}
	for _, part := range parts {
		assert.Contains(t, err.Error(), part)
	}
	cfg, err := parseFlags([]string{"-bench-dir", "."}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 5, cfg.pairs)
}

func res(ns, allocs float64) result {
	return result{NsPerOp: ns, AllocsPerOp: allocs, BytesPerOp: 0}
}

package main

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// A pair compares a benchmark of the codec with a baseline benchmark of
// the bare cipher over the same bytes.
type pair struct {
	Label     string
	Baseline  string  // benchmark name without "Benchmark"
	Candidate string  // benchmark name without "Benchmark"
	MaxRatio  float64 // target for candidate/baseline; 0: no ratio target
	MaxAllocs float64 // target for the candidate's allocs/op; -1: none
}

// defaultPairs are the comparisons of envelope's bench_test.go. The
// targets come from the performance requirement of the hot path: sealing
// a request and opening a response at most twice as slow as the bare
// cipher, with at most two allocations.
var defaultPairs = []pair{
	{"seal request, CBC", "RawCBCSeal", "SealRequest", 2.0, 2},
	{"seal request, new Request each time", "RawCBCSeal", "SealRequestFresh", 0, 2},
	{"open response, CBC", "RawCBCOpen", "OpenResponse", 2.0, 2},
	{"seal request, GCM", "RawGCMSeal", "SealRequestGCM", 0, -1},
	{"seal request, all cores", "RawCBCSealParallel", "SealRequestParallel", 0, -1},
}

// A sample is one round of a pair: both sides measured back to back.
type sample struct {
	Baseline, Candidate result
}

// An outcome is what the rounds of one pair add up to.
type outcome struct {
	Pair           pair
	BaseNs, CandNs float64 // medians of ns/op
	Ratio          float64 // median of the per-round ratios
	Allocs         float64 // the candidate's largest allocs/op, -1 if not reported
}

// summarize reduces the rounds of p to medians. The ratio is the median
// of the per-round ratios rather than the ratio of the medians, so that a
// slow spell that hits both sides of one round cancels out.
func summarize(p pair, samples []sample) outcome {
	var base, cand, ratios []float64
	allocs := -1.0
	for _, s := range samples {
		base = append(base, s.Baseline.NsPerOp)
		cand = append(cand, s.Candidate.NsPerOp)
		ratios = append(ratios, s.Candidate.NsPerOp/s.Baseline.NsPerOp)
		allocs = math.Max(allocs, s.Candidate.AllocsPerOp)
	}
	return outcome{Pair: p, BaseNs: median(base), CandNs: median(cand),
		Ratio: median(ratios), Allocs: allocs}
}

// verdict says whether o meets its pair's targets: "met", "NOT MET", or
// "report only" for a pair without targets.
func (o outcome) verdict() string {
	p := o.Pair
	if p.MaxRatio == 0 && p.MaxAllocs < 0 {
		return "report only"
	}
	ok := p.MaxRatio == 0 || o.Ratio <= p.MaxRatio
	if p.MaxAllocs >= 0 && (o.Allocs < 0 || o.Allocs > p.MaxAllocs) {
		ok = false
	}
	if ok {
		return "met"
	}
	return "NOT MET"
}

// target describes p's targets in words.
func (p pair) target() string {
	switch {
	case p.MaxRatio > 0 && p.MaxAllocs >= 0:
		return fmt.Sprintf("ratio <= %.1f, allocs <= %g", p.MaxRatio, p.MaxAllocs)
	case p.MaxRatio > 0:
		return fmt.Sprintf("ratio <= %.1f", p.MaxRatio)
	case p.MaxAllocs >= 0:
		return fmt.Sprintf("allocs <= %g", p.MaxAllocs)
	}
	return "-"
}

// writeTable prints one row per outcome and returns the first write error.
func writeTable(w io.Writer, outcomes []outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pair\tbaseline\tcandidate\tbase ns/op\tcand ns/op\tratio\tallocs/op\t"+
		"target\tresult")
	for _, o := range outcomes {
		allocs := "?"
		if o.Allocs >= 0 {
			allocs = fmt.Sprintf("%g", o.Allocs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.0f\t%.2f\t%s\t%s\t%s\n", o.Pair.Label,
			o.Pair.Baseline, o.Pair.Candidate, o.BaseNs, o.CandNs, o.Ratio, allocs,
			o.Pair.target(), o.verdict())
	}
	return tw.Flush()
}

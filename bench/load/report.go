package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Results of a row.
const (
	resMet     = "met"
	resNotMet  = "NOT MET"
	resReport  = "report only"
	resSkipped = "skipped"
	resFailed  = "FAILED"
	resInvalid = "INVALID"
)

// maxOtherShare is the largest share of non-2xx answers a run may have
// before its figures are not trusted.
const maxOtherShare = 0.01

// minSustained is the share of a fixed rate a run must reach for its
// CPU per request to be compared at that rate.
const minSustained = 0.95

// problems lists what makes an outcome's figures untrustworthy: answers
// that were not 2xx, or a judging attacker that found wrong answers.
func (o outcome) problems() []string {
	var out []string
	for i, rd := range o.Rounds {
		for _, s := range []struct {
			name string
			s    sample
		}{{"A", rd.A}, {"B", rd.B}} {
			out = append(out, s.s.problems(fmt.Sprintf("round %d %s", i+1, s.name))...)
		}
	}
	return out
}

// problems lists what is wrong with one run, named at.
func (s sample) problems(at string) []string {
	var out []string
	if share := float64(s.Answers.Other) / float64(s.Answers.Total()); share > maxOtherShare {
		out = append(out, fmt.Sprintf("%s: %.1f%% of answers not 2xx", at, 100*share))
	}
	if s.Asked > 0 && s.Rate < minSustained*float64(s.Asked) {
		out = append(out, fmt.Sprintf("%s: %.0f req/s of the %d asked", at, s.Rate, s.Asked))
	}
	if sm := s.Summary; sm != nil && sm.Judged > 0 && sm.Judged < sm.Success {
		out = append(out, fmt.Sprintf("%s: %d of %d 2xx answers did not open to the payload",
			at, sm.Success-sm.Judged, sm.Success))
	}
	return out
}

// result gives the verdict of one row.
func (o outcome) result(t target) string {
	switch {
	case o.Comp.Skip != "":
		return resSkipped
	case o.Err != "":
		return resFailed
	case len(o.problems()) > 0:
		return resInvalid
	case t.Bound == 0:
		return resReport
	case t.met(o.ratio(t.Metric)):
		return resMet
	}
	return resNotMet
}

// metricName is the unit a row compares.
func metricName(m metric) string {
	if m == metricRate {
		return "req/s"
	}
	return "CPU µs/req"
}

// writeReport prints the summary table, every run, the notes and the
// count of targets met, and returns the first write error.
func writeReport(w io.Writer, outcomes []outcome, bins binaries) error {
	if err := writeSummary(w, outcomes); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nevery run (req/s: 2xx answers per second; CPU: attacker user+system)")
	if err := writeRuns(w, outcomes); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, l := range legend {
		fmt.Fprintln(w, "side:", l)
	}
	for _, n := range notes(outcomes, bins) {
		fmt.Fprintln(w, "note:", n)
	}
	_, err := fmt.Fprintf(w, "\n%s\n", countLine(outcomes))
	return err
}

// writeSummary prints one row per target of every comparison.
func writeSummary(w io.Writer, outcomes []outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "pair\tA\tB\tmetric\tA median\tB median\tratio B/A\ttarget\tresult")
	for _, o := range outcomes {
		for _, t := range o.Comp.Targets {
			a, b, ratio := "-", "-", "-"
			if len(o.Rounds) > 0 && o.Err == "" {
				a = fmt.Sprintf("%.1f", o.medianOf(t.Metric, false))
				b = fmt.Sprintf("%.1f", o.medianOf(t.Metric, true))
				ratio = fmt.Sprintf("%.2f", o.ratio(t.Metric))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Comp.Label,
				o.Comp.A.Label, o.Comp.B.Label, metricName(t.Metric), a, b, ratio,
				t.describe(), o.result(t))
		}
	}
	return tw.Flush()
}

// writeRuns prints every run of every comparison that ran.
func writeRuns(w io.Writer, outcomes []outcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pair\tround\tside\treq/s\tanswers\t2xx\tCPU s\tCPU µs/req\twall s\t")
	for _, o := range outcomes {
		for i, rd := range o.Rounds {
			writeRun(tw, o.Comp.Label, i+1, "A", rd.A)
			writeRun(tw, o.Comp.Label, i+1, "B", rd.B)
		}
	}
	return tw.Flush()
}

func writeRun(w io.Writer, label string, round int, side string, s sample) {
	fmt.Fprintf(w, "%s\t%d\t%s\t%.1f\t%d\t%d\t%.2f\t%.1f\t%.1f\t\n", label, round, side,
		s.Rate, s.Answers.Total(), s.Answers.OK, s.CPU.Seconds(), micros(s.CPUPerReq),
		s.Wall.Seconds())
}

// notes explains skipped, failed and invalid comparisons and what the
// growth rows measure.
func notes(outcomes []outcome, bins binaries) []string {
	var out []string
	growth := false
	for _, o := range outcomes {
		switch {
		case o.Comp.Skip != "":
			out = append(out, o.Comp.Label+": "+o.Comp.Skip)
		case o.Err != "":
			out = append(out, o.Comp.Label+": "+o.Err)
		}
		for _, p := range o.problems() {
			out = append(out, o.Comp.Label+": "+p)
		}
		growth = growth || o.Comp.Section == secGrowth
	}
	if growth {
		out = append(out, "growth rows by client count use the bench's own sealing "+
			"targeter (bench/load/sealed) on a mock knowing that many generated clients: "+
			"`gwcert load` speaks only as the profile's clients (primary and peer)")
		if bins.gwcert == "" {
			out = append(out, "growth rows by payload use the bench's sealing targeter "+
				"too, as gwcert load is not available")
		}
	}
	return out
}

// countLine counts the rows with targets that met them.
func countLine(outcomes []outcome) string {
	met, total := 0, 0
	for _, o := range outcomes {
		for _, t := range o.Comp.Targets {
			if t.Bound == 0 {
				continue
			}
			total++
			if o.result(t) == resMet {
				met++
			}
		}
	}
	return fmt.Sprintf("targets met: %d of %d (a missed target is reported, never an error: "+
		"timings vary between machines and runs)", met, total)
}

package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// runner runs the comparisons of a plan.
type runner struct {
	cfg  config
	bins binaries
	log  io.Writer
	tmp  string // scratch folder: gwcert load's reports go here
	runs int    // attacks so far, naming their scratch folders
	// profiles are the profile files written for gwcert load, by
	// payload size.
	profiles map[int]string
}

// round is one A run and the B run that followed it.
type round struct{ A, B sample }

// outcome is what a comparison's rounds add up to.
type outcome struct {
	Comp   comparison
	Rounds []round
	Err    string // why the comparison stopped early; "" if it ran through
}

// warmUp is how long a fresh server is attacked before its rounds, so
// that the first round does not pay for its start.
const warmUp = time.Second

// measure runs every comparison of plan in turn. Only a server that
// cannot start stops the whole run; a failed attack ends its comparison.
func (r *runner) measure(plan []comparison) ([]outcome, error) {
	out := make([]outcome, 0, len(plan))
	for i, c := range plan {
		fmt.Fprintf(r.log, "[%d/%d] %s: %s\n", i+1, len(plan), c.Section, c.Label)
		o, err := r.compare(c)
		if err != nil {
			return nil, err
		}
		if o.Err != "" {
			fmt.Fprintf(r.log, "  stopped: %s\n", o.Err)
		}
		out = append(out, o)
	}
	return out, nil
}

// compare starts the servers of c, warms them up and runs its rounds.
func (r *runner) compare(c comparison) (outcome, error) {
	o := outcome{Comp: c}
	if c.Skip != "" {
		return o, nil
	}
	sa, sb, err := r.startPair(c)
	if err != nil {
		return o, err
	}
	defer sa.stop()
	if sb != sa {
		defer sb.stop()
	}
	if o.Err = r.warm(sa, c.A, sb, c.B); o.Err != "" {
		return o, nil
	}
	for i := 1; i <= r.cfg.pairs; i++ {
		var rd round
		if rd.A, err = r.attack(sa, c.A.Attacker, r.cfg.duration); err == nil {
			r.trace(c, i, "A", rd.A)
			rd.B, err = r.attack(sb, c.B.Attacker, r.cfg.duration)
			r.trace(c, i, "B", rd.B)
		}
		if err != nil {
			o.Err = fmt.Sprintf("round %d: %v", i, err)
			return o, nil
		}
		o.Rounds = append(o.Rounds, rd)
	}
	return o, nil
}

// startPair starts the servers of both sides, one if they are the same.
func (r *runner) startPair(c comparison) (*server, *server, error) {
	sa, err := startServer(r.bins.server, c.A.Server, r.cfg.record)
	if err != nil || c.B.Server == c.A.Server {
		return sa, sa, err
	}
	sb, err := startServer(r.bins.server, c.B.Server, r.cfg.record)
	if err != nil {
		sa.stop()
	}
	return sa, sb, err
}

// warm attacks each server briefly with a replay of its side's requests
// and returns why that failed, or "".
func (r *runner) warm(sa *server, a side, sb *server, b side) string {
	for _, w := range []struct {
		srv *server
		s   side
	}{{sa, a}, {sb, b}} {
		spec := attackerSpec{Kind: kindStatic, Clients: w.s.Attacker.Clients,
			Payload: max(w.s.Attacker.Payload, defaultPayload)}
		if _, err := r.attack(w.srv, spec, warmUp); err != nil {
			return "warm-up: " + err.Error()
		}
	}
	return ""
}

// trace prints a run on the log when asked to.
func (r *runner) trace(c comparison, round int, which string, s sample) {
	if !r.cfg.verbose || s.Answers.Total() == 0 {
		return
	}
	fmt.Fprintf(r.log, "  round %d %s: %.0f req/s, %.1f µs CPU/req, %d of %d answers 2xx\n",
		round, which, s.Rate, micros(s.CPUPerReq), s.Answers.OK, s.Answers.Total())
}

// micros returns d in microseconds.
func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// value is a sample's figure for m.
func (s sample) value(m metric) float64 {
	if m == metricRate {
		return s.Rate
	}
	return micros(s.CPUPerReq)
}

// medianOf returns the median of m over the rounds for side A or B.
func (o outcome) medianOf(m metric, b bool) float64 {
	var v []float64
	for _, rd := range o.Rounds {
		if b {
			v = append(v, rd.B.value(m))
		} else {
			v = append(v, rd.A.value(m))
		}
	}
	return median(v)
}

// ratio returns the median of the per-round ratios B/A of m, so that a
// slow spell that hits both runs of one round cancels out.
func (o outcome) ratio(m metric) float64 {
	var v []float64
	for _, rd := range o.Rounds {
		v = append(v, rd.B.value(m)/rd.A.value(m))
	}
	return median(v)
}

// median returns the middle value of v, or the mean of the two middle
// values; 0 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

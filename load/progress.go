package load

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// progress writes one line about a running attack each time it is
// asked: time elapsed, results so far, the rate since the last line (over
// the whole attack on the final line), latency quantiles, the success
// share and errors by kind. After a failed write it writes nothing more
// and keeps the error.
type progress struct {
	w     io.Writer // nil: no progress
	began time.Time
	last  time.Time
	sent  uint64 // results at the last line
	err   error
}

// printf writes unless the writer is absent or has failed.
func (p *progress) printf(format string, args ...any) {
	if p.w == nil || p.err != nil {
		return
	}
	if _, err := fmt.Fprintf(p.w, format, args...); err != nil {
		p.err = fmt.Errorf("load: writing progress: %w", err)
	}
}

// line writes the progress line for now: the rate is that since the
// last line, or over the whole attack when final.
func (p *progress) line(agg *Aggregator, now time.Time, final bool) {
	if p.w == nil {
		return
	}
	since, before := p.last, p.sent
	if since.IsZero() || final {
		since, before = p.began, 0
	}
	sent := agg.Requests()
	rate := 0.0
	if secs := now.Sub(since).Seconds(); secs > 0 {
		rate = float64(sent-before) / secs
	}
	p.last, p.sent = now, sent
	state := now.Sub(p.began).Round(time.Second).String()
	if final {
		state = "done"
	}
	lat := agg.all.vm.Latencies
	success := 0.0
	if sent > 0 {
		success = 100 * float64(agg.all.successes) / float64(sent)
	}
	p.printf("gwcert load %6s  sent %d  rate %.1f/s  p50 %s  p99 %s  success %.2f%%  errors: %s\n",
		state, sent, rate, latency(lat.Quantile(0.5)), latency(lat.Quantile(0.99)), success,
		errorList(agg.all.errors, 3))
}

// latency writes a latency shortly: to the microsecond below a
// millisecond, to ten microseconds above.
func latency(d time.Duration) string {
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(10 * time.Microsecond).String()
}

// errorList writes the most frequent error kinds with their counts, at
// most top of them, such as "status 503=12, timeout=1".
func errorList(errs map[string]uint64, top int) string {
	if len(errs) == 0 {
		return "none"
	}
	kinds := slices.SortedFunc(maps.Keys(errs), func(a, b string) int {
		return cmp.Or(cmp.Compare(errs[b], errs[a]), strings.Compare(a, b))
	})
	var b strings.Builder
	for i, k := range kinds {
		if i == top {
			fmt.Fprintf(&b, ", %d more kinds", len(kinds)-top)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%d", k, errs[k])
	}
	return b.String()
}

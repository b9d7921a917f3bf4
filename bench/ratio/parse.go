package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A result is one line of `go test -bench` output.
type result struct {
	Name        string  // without the "Benchmark" prefix and the -GOMAXPROCS suffix
	Procs       int     // GOMAXPROCS the line was measured with (1 when no suffix)
	N           int     // iterations
	NsPerOp     float64 // ns/op
	AllocsPerOp float64 // allocs/op, or -1 when not reported
	BytesPerOp  float64 // B/op, or -1 when not reported
}

// parseResults returns the benchmark lines of go test output in order.
// Other lines (goos, PASS, ok, logs) are skipped; a line that starts like
// a result but does not parse is an error.
func parseResults(r io.Reader) ([]result, error) {
	var out []result
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue // a benchmark's log line, not a result
		}
		res, err := parseLine(fields)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// parseLine reads the fields of one result line: name, iterations, then
// value and unit pairs.
func parseLine(fields []string) (result, error) {
	res := result{AllocsPerOp: -1, BytesPerOp: -1, NsPerOp: -1}
	res.Name, res.Procs = splitProcs(strings.TrimPrefix(fields[0], "Benchmark"))
	res.N, _ = strconv.Atoi(fields[1])
	if len(fields)%2 != 0 {
		return res, fmt.Errorf("%s: value without a unit", fields[0])
	}
	for i := 2; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return res, fmt.Errorf("%s: %q is not a number", fields[0], fields[i])
		}
		switch fields[i+1] {
		case "ns/op":
			res.NsPerOp = v
		case "allocs/op":
			res.AllocsPerOp = v
		case "B/op":
			res.BytesPerOp = v
		}
	}
	if res.NsPerOp < 0 {
		return res, fmt.Errorf("%s: no ns/op", fields[0])
	}
	return res, nil
}

// splitProcs splits "SealRequest-2" into "SealRequest" and 2. A name
// without a numeric suffix ran with GOMAXPROCS 1.
func splitProcs(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name, 1
	}
	procs, err := strconv.Atoi(name[i+1:])
	if err != nil || procs < 1 {
		return name, 1
	}
	return name[:i], procs
}

// findResult returns the result named name (without "Benchmark").
func findResult(results []result, name string) (result, bool) {
	for _, r := range results {
		if r.Name == name {
			return r, true
		}
	}
	return result{}, false
}

// median returns the median of xs, the mean of the middle two for an
// even count. It panics on an empty slice: callers always hold samples.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// Command ratio measures the envelope hot path against the bare cipher.
// It builds the test binary of a package once, then runs each benchmark
// pair side by side: every round runs each pair's baseline and then its
// candidate, one benchmark per process, so the two sides of a pair
// alternate A B A B and a slow spell of the machine hits both. It prints
// the medians, the median ratio candidate/baseline, allocations and
// whether the targets are met.
//
// Usage, from the module root:
//
//	go run ./bench/ratio -pairs 5 -bench-dir ./envelope
//
// The exit status is non-zero only when the tool itself fails (the build,
// a benchmark run, unparsable output). A missed target is reported as
// NOT MET and exits zero: timing on shared CI machines is too noisy to
// fail a build on.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "ratio:", err)
		os.Exit(1)
	}
}

// minPairs is the fewest rounds whose median one slow run cannot move.
const minPairs = 3

type config struct {
	pairs     int    // rounds, each one baseline and one candidate run per pair
	benchDir  string // package whose test binary holds the benchmarks
	benchtime string // -test.benchtime of each run
	verbose   bool   // echo every run's result on stderr
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("ratio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.pairs, "pairs", 5, "rounds of side-by-side runs per pair (at least 3)")
	fs.StringVar(&cfg.benchDir, "bench-dir", "./envelope", "package directory holding the benchmarks")
	fs.StringVar(&cfg.benchtime, "benchtime", "500ms",
		"duration (like 500ms) or iteration count (like 10000x) of each benchmark run")
	fs.BoolVar(&cfg.verbose, "v", false, "print every run's result on stderr")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	var errs []error
	if cfg.pairs < minPairs {
		errs = append(errs, fmt.Errorf("-pairs %d: want at least %d, so that "+
			"the median resists one disturbed run", cfg.pairs, minPairs))
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if st, err := os.Stat(cfg.benchDir); err != nil || !st.IsDir() {
		errs = append(errs, fmt.Errorf("-bench-dir %s: not a directory", cfg.benchDir))
	}
	return cfg, errors.Join(errs...)
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(cfg.benchDir)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ratio-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bench.test")
	if err := buildTestBinary(dir, bin); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "machine: %s\n", describeMachine())
	fmt.Fprintf(stdout, "method: %d rounds; each round runs every pair's baseline, then its "+
		"candidate, one process each, -test.benchtime=%s; ratio = median of the "+
		"per-round ratios candidate/baseline\n\n", cfg.pairs, cfg.benchtime)
	runOne := binaryRunner(bin, dir, cfg.benchtime, cfg.verbose, stderr)
	outcomes, err := measure(defaultPairs, cfg.pairs, runOne, stderr)
	if err != nil {
		return err
	}
	if err := writeTable(stdout, outcomes); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\n%s\n", summaryLine(outcomes))
	return err
}

// buildTestBinary compiles the tests of the package in dir to bin.
func buildTestBinary(dir, bin string) error {
	cmd := exec.Command("go", "test", "-c", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the test binary of %s: %v\n%s", dir, err, out)
	}
	return nil
}

// A runFunc runs the benchmark named name (without "Benchmark") once.
type runFunc func(name string) (result, error)

// binaryRunner runs benchmarks from the test binary bin in dir, one
// process per run, as go test would run it.
func binaryRunner(bin, dir, benchtime string, verbose bool, log io.Writer) runFunc {
	return func(name string) (result, error) {
		cmd := exec.Command(bin, "-test.run=^$", "-test.bench=^Benchmark"+name+"$",
			"-test.benchmem", "-test.count=1", "-test.benchtime="+benchtime)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return result{}, fmt.Errorf("running Benchmark%s: %v\n%s", name, err, out)
		}
		results, err := parseResults(bytes.NewReader(out))
		if err != nil {
			return result{}, fmt.Errorf("reading Benchmark%s output: %w", name, err)
		}
		res, ok := findResult(results, name)
		if !ok {
			return result{}, fmt.Errorf("benchmark %s printed no result:\n%s", name, out)
		}
		if verbose {
			fmt.Fprintf(log, "%-22s %10.1f ns/op %5g allocs/op\n", name, res.NsPerOp, res.AllocsPerOp)
		}
		return res, nil
	}
}

// measure runs rounds rounds of every pair, baseline first, and sums
// each pair up. Progress goes to log.
func measure(pairs []pair, rounds int, runOne runFunc, log io.Writer) ([]outcome, error) {
	samples := make([][]sample, len(pairs))
	for r := 1; r <= rounds; r++ {
		fmt.Fprintf(log, "round %d of %d\n", r, rounds)
		for i, p := range pairs {
			base, err := runOne(p.Baseline)
			if err != nil {
				return nil, err
			}
			cand, err := runOne(p.Candidate)
			if err != nil {
				return nil, err
			}
			samples[i] = append(samples[i], sample{Baseline: base, Candidate: cand})
		}
	}
	outcomes := make([]outcome, len(pairs))
	for i, p := range pairs {
		outcomes[i] = summarize(p, samples[i])
	}
	return outcomes, nil
}

// summaryLine counts the pairs with targets that met them.
func summaryLine(outcomes []outcome) string {
	met, total := 0, 0
	for _, o := range outcomes {
		switch o.verdict() {
		case "met":
			met++
			total++
		case "NOT MET":
			total++
		}
	}
	return fmt.Sprintf("targets met: %d of %d (a missed target is reported, never an error: "+
		"timings vary between machines and runs)", met, total)
}

// describeMachine names the platform, CPU model, core count and Go
// version the figures were measured on.
func describeMachine() string {
	info, _ := os.ReadFile("/proc/cpuinfo") // absent off Linux: the model is unknown
	return fmt.Sprintf("%s/%s, %s, %d cores, %s", runtime.GOOS, runtime.GOARCH,
		cpuModel(string(info)), runtime.NumCPU(), runtime.Version())
}

// cpuModel returns the first "model name" of /proc/cpuinfo text.
func cpuModel(cpuinfo string) string {
	for line := range strings.Lines(cpuinfo) {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// Command load measures gwcert's load side against baselines, as ratios
// taken side by side on this machine. Every comparison runs its two sides
// A B A B, each run a separate attacker process against a server in its
// own process, and reports the medians and the median of the per-round
// ratios B/A. The attacker's CPU time (user plus system, from the
// operating system's accounting of the finished child) is divided by the
// answers the server counted, so that gwcert's own command and the
// helper attackers are measured the same way.
//
// Usage, from the module root:
//
//	go run ./bench/load [-pairs 3] [-duration 5s] [-workers 10]
//	                    [-sections roundtrip,attack,growth] [-fixed-rate 2000]
//	                    [-gwcert BINARY] [-gwcert-args ARGS] [-record] [-v]
//
// It builds its helper programs (server, static, sealed) and gwcert
// itself into a temporary folder; a gwcert without a working load
// command has its rows skipped with the reason. With the defaults a run
// takes about seven minutes.
//
// A missed target is reported as NOT MET and exits zero: timings on a
// shared two-core machine are too noisy to fail a build on. The exit
// status is non-zero only when the tool itself fails.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "load bench:", err)
		os.Exit(1)
	}
}

// minPairs is the fewest rounds whose median one disturbed run cannot
// move.
const minPairs = 3

// config is what the flags set.
type config struct {
	pairs    int
	duration time.Duration
	workers  uint64
	sections []string
	gwcert   string   // a gwcert binary to use instead of building one
	extra    []string // more arguments for `gwcert load`
	fixed    int      // the rate of the fixed-rate CPU comparisons; 0: none
	record   bool     // the mock's recorder on
	verbose  bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var sections, extra string
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.pairs, "pairs", minPairs, "rounds of A then B per comparison (at least 3)")
	fs.DurationVar(&cfg.duration, "duration", 5*time.Second, "length of each attack")
	fs.Uint64Var(&cfg.workers, "workers", vegeta.DefaultWorkers,
		"concurrent workers of every attacker")
	fs.StringVar(&sections, "sections", strings.Join(sectionNames, ","),
		"comma-separated sections to run: "+strings.Join(sectionNames, ", "))
	fs.StringVar(&cfg.gwcert, "gwcert", "", "gwcert `binary` to use (default: build ./cmd/gwcert)")
	fs.StringVar(&extra, "gwcert-args", "",
		"more space-separated arguments for `gwcert load`, such as a route to use")
	fs.IntVar(&cfg.fixed, "fixed-rate", defaultFixedRate, "requests per second of the "+
		"attack section's extra CPU comparisons at a rate both sides sustain; 0: none")
	fs.BoolVar(&cfg.record, "record", false,
		"keep the mock's exchange recorder on, as `gwcert mock` has it")
	fs.BoolVar(&cfg.verbose, "v", false, "print every run on stderr as it ends")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.sections = splitList(sections)
	cfg.extra = strings.Fields(extra)
	return cfg, cfg.check(fs.Args())
}

// check reports every problem of the configuration at once.
func (cfg config) check(rest []string) error {
	var errs []error
	if cfg.pairs < minPairs {
		errs = append(errs, fmt.Errorf("-pairs %d: want at least %d, so that the median "+
			"resists one disturbed run", cfg.pairs, minPairs))
	}
	if cfg.duration < time.Second || cfg.duration > maxDuration {
		errs = append(errs, fmt.Errorf("-duration %s: want 1s to %s (a replayed request "+
			"must stay inside the mock's epoch window)", cfg.duration, maxDuration))
	}
	if cfg.workers < 1 || cfg.workers > 10000 {
		errs = append(errs, fmt.Errorf("-workers %d: want 1 to 10000", cfg.workers))
	}
	for _, s := range cfg.sections {
		if !isSection(s) {
			errs = append(errs, fmt.Errorf("-sections: unknown section %q (want %s)", s,
				strings.Join(sectionNames, ", ")))
		}
	}
	if cfg.fixed < 0 {
		errs = append(errs, fmt.Errorf("-fixed-rate %d: want 0 (none) or more", cfg.fixed))
	}
	if len(rest) > 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments %q", rest))
	}
	return errors.Join(errs...)
}

// maxDuration keeps an attack well inside the mock's 300 s epoch window,
// which a request sealed once at the attack's start must not outlive.
const maxDuration = 2 * time.Minute

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gwcert-bench-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bins, err := buildAll(tmp, cfg.gwcert, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "machine: %s\n", describeMachine())
	fmt.Fprintf(stdout, "method: %s\n\n", describeMethod(cfg))
	r := &runner{cfg: cfg, bins: bins, log: stderr, tmp: tmp}
	outcomes, err := r.measure(planFor(cfg, bins))
	if err != nil {
		return err
	}
	return writeReport(stdout, outcomes, bins)
}

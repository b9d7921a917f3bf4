package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/gomega"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/kat"
	"github.com/gwcert/gwcert/suites/suiterun"
	"github.com/gwcert/gwcert/vectors"
)

// suiteFlags are the flags every suite command shares.
type suiteFlags struct {
	reportDir   string
	labelFilter string
	verbose     bool
}

func (s *suiteFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&s.reportDir, "report-dir", "",
		"write report.json and junit.xml into this folder (default out/<suite>-<UTC time>)")
	fs.StringVar(&s.labelFilter, "label-filter", "",
		"run only the checks whose ids match this Ginkgo label filter, e.g. 'K-2.1 || K-2.3'")
	fs.BoolVar(&s.verbose, "v", false, "print every spec as it runs")
}

func runKAT(ctx context.Context, args []string, std stdio) error {
	var cfg kat.Config
	var sf suiteFlags
	fs := newFlagSet("kat", "[--vectors FILE|DIR]... [--adapter CMD] [--report-dir DIR]", std.out)
	cfg.RegisterFlags(fs, "")
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files, err := cfg.Load()
	if err != nil {
		return usagef("kat: %v", err)
	}
	kat.Declare(files, cfg.NewImpl)
	opts := suiterun.Options{Suite: "kat", Target: cfg.Target(), Version: buildinfo.Version(),
		VectorDigest: vectors.Digest(files)}
	return runSuite(std, opts, sf)
}

// runSuite runs the suite declared so far in this process, writes its
// report and prints a summary.
func runSuite(std stdio, opts suiterun.Options, sf suiteFlags) error {
	started := time.Now()
	opts.ReportDir = sf.reportDir
	if opts.ReportDir == "" {
		opts.ReportDir = reports.DefaultDir(opts.Suite, started)
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	formatter.ColorableStdOut = std.out // Ginkgo's progress goes where ours does
	suiteCfg, reporterCfg := ginkgo.GinkgoConfiguration()
	reporterCfg.NoColor = !isTerminal(std.out)
	suiteCfg.LabelFilter = sf.labelFilter
	reporterCfg.Succinct = !sf.verbose
	reporterCfg.Verbose = sf.verbose
	rep := suiterun.Run(opts, suiteCfg, reporterCfg)
	if rep == nil {
		return fmt.Errorf("%s: the suite produced no report", opts.Suite)
	}
	printSummary(std, rep, opts.ReportDir)
	if rep.Failed() || rep.Interrupted {
		return errChecksFailed
	}
	return nil
}

func printSummary(std stdio, rep *reports.Report, dir string) {
	s := rep.Summary
	fmt.Fprintf(std.out, "\ngwcert %s against %s\n", rep.Suite, rep.Target)
	fmt.Fprintf(std.out, "  PASS %d  FAIL %d  WARN %d  INFO %d  SKIP %d\n", s.Pass, s.Fail, s.Warn, s.Info, s.Skip)
	for _, c := range rep.Checks {
		if c.Verdict == reports.Fail {
			fmt.Fprintf(std.out, "  FAIL %s %s: %s\n", c.ID, c.Name, c.Reason)
		}
	}
	fmt.Fprintf(std.out, "  report: %s\n", dir)
}

// isTerminal reports whether w is a character device, where colour helps.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// demoDriver is the example client driver the demo certifies; it lives
// in the repository, so the demo runs from the repository's root.
const demoDriver = "examples/drivers/node/driver.js"

// demoStep is one job of the demo: a gwcert command run as its own
// process (Ginkgo runs one suite per process), writing into its folder.
type demoStep struct {
	name string
	args []string
	skip string // why the step cannot run here, if it cannot
}

// runDemo runs the main jobs on their embedded defaults against one
// bundled mock, then writes one page summing them up.
func runDemo(ctx context.Context, args []string, std stdio) error {
	var outDir string
	var loadFor time.Duration
	var rate int
	fs := newFlagSet("demo", "[--out DIR]", std.out)
	fs.StringVar(&outDir, "out", "", "folder for the results (default out/demo-<UTC time>)")
	fs.DurationVar(&loadFor, "load-duration", 10*time.Second, "length of the encrypted load")
	fs.IntVar(&rate, "load-rate", 200, "requests per second of the encrypted load")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if outDir == "" {
		outDir = filepath.Join("out", "demo-"+time.Now().UTC().Format("20060102T150405Z"))
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("demo: finding the gwcert binary: %w", err)
	}
	mock, url, err := startDemoMock(ctx)
	if err != nil {
		return err
	}
	defer mock.Close()

	steps := demoSteps(outDir, url, rate, loadFor)
	runs, rows := runDemoSteps(ctx, std, self, url, steps)
	page := filepath.Join(outDir, "index.html")
	if err := reports.WriteHTMLFile(page, runs, reports.HTMLOptions{Title: "gwcert demo"}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	printDemoTable(std, rows)
	fmt.Fprintf(std.out, "\nreport: %s\n", page)
	for _, r := range runs {
		if r.Failed() {
			return errChecksFailed
		}
	}
	return nil
}

// startDemoMock serves the bundled mock on a free loopback port.
func startDemoMock(ctx context.Context) (*mockgateway.Server, string, error) {
	cfg, err := mockgateway.FromProfile(profiles.Default(), profiles.MockCredentials)
	if err != nil {
		return nil, "", fmt.Errorf("demo: %w", err)
	}
	cfg.RecorderLimit = mockgateway.RecorderOff
	g, err := mockgateway.New(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("demo: %w", err)
	}
	srv, err := g.Start(ctx, "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("demo: %w", err)
	}
	return srv, srv.URL, nil
}

func demoSteps(out, url string, rate int, loadFor time.Duration) []demoStep {
	dir := func(name string) string { return filepath.Join(out, name) }
	certify := demoStep{name: "client", args: []string{"certify", "--driver", "node " + demoDriver,
		"--report-dir", dir("client")}}
	if _, err := exec.LookPath("node"); err != nil {
		certify.skip = "node is not on PATH"
	} else if _, err := os.Stat(demoDriver); err != nil {
		certify.skip = demoDriver + " not found: run the demo from the repository's root"
	}
	return []demoStep{
		{name: "kat", args: []string{"kat", "--report-dir", dir("kat")}},
		{name: "gateway", args: []string{"conform", "--target", url, "--report-dir", dir("gateway")}},
		certify,
		{name: "load", args: []string{"load", "--target", url, "--rate", fmt.Sprint(rate),
			"--duration", loadFor.String(), "--quiet", "--report-dir", dir("load")}},
	}
}

// demoRow is one line of the summary table.
type demoRow struct {
	step, verdict, detail string
}

// runDemoSteps runs each step as a child process with the mock's public
// test credentials in its environment, and reads back its report.
func runDemoSteps(ctx context.Context, std stdio, self, url string, steps []demoStep) ([]*reports.Report, []demoRow) {
	env := append(os.Environ(), mockEnvList(url)...)
	var runs []*reports.Report
	var rows []demoRow
	for _, st := range steps {
		if st.skip != "" {
			rows = append(rows, demoRow{st.name, "SKIP", st.skip})
			continue
		}
		fmt.Fprintf(std.err, "gwcert demo: %s ...\n", st.name)
		cmd := exec.CommandContext(ctx, self, st.args...)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = nil, nil // each step's own output stays in its report
		err := cmd.Run()
		rep, rerr := readReport(filepath.Join(st.args[len(st.args)-1], "report.json"))
		if rerr != nil {
			rows = append(rows, demoRow{st.name, "ERROR", fmt.Sprintf("%v (exit: %v)", rerr, err)})
			continue
		}
		runs = append(runs, rep)
		rows = append(rows, demoRow{st.name, verdictOf(rep), summaryLine(rep)})
	}
	return runs, rows
}

func mockEnvList(url string) []string {
	var out []string
	for _, line := range strings.Split(mockEnv(url, profiles.Default()), "\n") {
		if v, ok := strings.CutPrefix(line, "export "); ok {
			out = append(out, v)
		}
	}
	return out
}

func readReport(path string) (*reports.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return reports.ReadJSON(f)
}

func verdictOf(r *reports.Report) string {
	if r.Failed() {
		return "FAIL"
	}
	return "PASS"
}

func summaryLine(r *reports.Report) string {
	s := r.Summary
	return fmt.Sprintf("%d checks: %d pass, %d fail, %d warn, %d info, %d skip",
		len(r.Checks), s.Pass, s.Fail, s.Warn, s.Info, s.Skip)
}

func printDemoTable(std stdio, rows []demoRow) {
	tw := tabwriter.NewWriter(std.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tVERDICT\tDETAIL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.step, r.verdict, r.detail)
	}
	tw.Flush()
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/internal/target"
	"github.com/gwcert/gwcert/load"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
)

// loadSynopsis is the usage of gwcert load and gwcert load merge.
const loadSynopsis = "[--profile FILE] [--target URL] [--rate R | --ramp A:B] [--duration D] " +
	"[--shard i/N] [--start-at TIME] [--output FILE] [--report-dir DIR] [--quiet] ...\n" +
	"       gwcert load merge [--report-dir DIR] [--min-success P] [--expect N] FILE..."

// loadFlags are the flags of gwcert load.
type loadFlags struct {
	profile, target, clients string
	rate                     float64
	ramp                     loadRampFlag
	duration, timeout        time.Duration
	workers, maxWorkers      uint64
	conns, maxConns          int
	keepAlive, http2, quiet  bool
	shard                    loadShardFlag
	startAt                  loadTimeFlag
	output, reportDir        string
	minSuccess               float64
}

func (f *loadFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.profile, "profile", "", "target profile `FILE` (default: the bundled mock's)")
	fs.StringVar(&f.target, "target", "", "base `URL` of the gateway, overriding the profile's; "+
		"none: the bundled mock, run in-process")
	fs.StringVar(&f.clients, "clients", "", "comma-separated client `NAMES` that sign requests "+
		"in turn (default: every client the target has, primary and peer)")
	fs.Float64Var(&f.rate, "rate", load.DefaultRate, "requests per `second` of the whole run "+
		"(a shard sends its share); 0 sends as fast as the workers go")
	fs.Var(&f.ramp, "ramp", "rate rising (or falling) linearly from `A:B` per second over "+
		"--duration, e.g. 10:200; replaces --rate")
	fs.DurationVar(&f.duration, "duration", load.DefaultDuration, "how long to send, e.g. 30s; "+
		"0 sends until interrupted")
	fs.Uint64Var(&f.workers, "workers", load.DefaultWorkers, "workers sending at the start")
	fs.Uint64Var(&f.maxWorkers, "max-workers", load.DefaultMaxWorkers, "most workers when answers "+
		"are slow; 0 is no limit (at --rate 0: --workers)")
	fs.IntVar(&f.conns, "connections", load.DefaultConnections, "idle connections kept per host")
	fs.IntVar(&f.maxConns, "max-connections", load.DefaultMaxConnections,
		"most connections per host; 0 is no limit")
	fs.DurationVar(&f.timeout, "timeout", load.DefaultTimeout,
		"longest wait for one answer; 0 is none")
	fs.BoolVar(&f.keepAlive, "keepalive", load.DefaultKeepAlive, "reuse connections")
	fs.BoolVar(&f.http2, "http2", load.DefaultHTTP2, "offer HTTP/2 to https targets")
	fs.Var(&f.shard, "shard", "run shard `i/N` of N attackers: 1/N of the rate, results to merge")
	fs.Var(&f.startAt, "start-at", "wait until `TIME` (RFC 3339, e.g. 2026-05-01T10:00:00Z) "+
		"to start, so that shards start together")
	fs.StringVar(&f.output, "output", "", "Vegeta results `FILE` (gob) for `vegeta report` and "+
		"merging (default: results.bin in the report folder)")
	fs.StringVar(&f.reportDir, "report-dir", "", "write report.json, junit.xml and plot.html in "+
		"`DIR` (default out/load-<UTC time>)")
	fs.Float64Var(&f.minSuccess, "min-success", 100, "fail below this success `percent`")
	fs.BoolVar(&f.quiet, "quiet", false, "print no progress line on stderr")
}

func runLoad(ctx context.Context, args []string, std stdio) error {
	if len(args) > 0 && args[0] == "merge" {
		return runLoadMerge(args[1:], std)
	}
	var f loadFlags
	fs := newFlagSet("load", loadSynopsis, std.out)
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.check(fs, std); err != nil {
		return err
	}
	p, err := loadProfileFile(f.profile)
	if err != nil {
		return err
	}
	tg, err := target.Open(ctx, target.Options{Profile: p, URL: f.target, Lookup: lookupEnv,
		Tune: func(c *mockgateway.Config) { c.RecorderLimit = mockgateway.RecorderOff }})
	if err != nil {
		return usagef("load: %v", err)
	}
	defer tg.Close()
	atk, err := f.attack(tg, std)
	if err != nil {
		return err
	}
	return f.run(ctx, std, tg, atk)
}

// check reports every problem of the flags at once, before anything is
// opened.
func (f *loadFlags) check(fs *flag.FlagSet, std stdio) error {
	var problems []string
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["rate"] && set["ramp"] {
		problems = append(problems, "--rate and --ramp exclude each other: give one")
	}
	if !(f.minSuccess >= 0 && f.minSuccess <= 100) {
		problems = append(problems, fmt.Sprintf("--min-success %v: want a percent from 0 to 100",
			f.minSuccess))
	}
	var ce *load.ConfigError
	if errors.As(load.CheckOptions(f.options(std)...), &ce) {
		for _, p := range ce.Problems {
			problems = append(problems, "--"+p.Setting+": "+p.Cause)
		}
	}
	if len(problems) > 0 {
		return usagef("load: %s", strings.Join(problems, "; "))
	}
	return nil
}

// loadProfileFile reads the profile at path, or the bundled mock's.
func loadProfileFile(path string) (*profiles.Profile, error) {
	if path == "" {
		return profiles.Default(), nil
	}
	p, err := profiles.Load(path)
	if err != nil {
		return nil, usagef("load: --profile: %v", err)
	}
	return p, nil
}

// attack builds the targeter and the attack the flags describe.
func (f *loadFlags) attack(tg *target.Target, std stdio) (*load.Attack, error) {
	clients, err := loadClients(tg, f.clients)
	if err != nil {
		return nil, err
	}
	tr, err := load.NewTargeter(tg.URL, load.RoutesFromProfile(tg.Profile.Routes), clients,
		load.ForShard(f.shard.Shard))
	if err != nil {
		return nil, usagef("%v", err)
	}
	return load.NewAttack(tr, f.options(std)...) // options checked by check
}

// options turns the flags into attack options.
func (f *loadFlags) options(std stdio) []load.Option {
	opts := []load.Option{load.Rate(f.rate), load.Duration(f.duration),
		load.Workers(f.workers), load.MaxWorkers(f.maxWorkers), load.Connections(f.conns),
		load.MaxConnections(f.maxConns), load.Timeout(f.timeout), load.KeepAlive(f.keepAlive),
		load.HTTP2(f.http2), load.InShard(f.shard.Shard)}
	if f.ramp.set {
		opts = append(opts, load.Ramp(f.ramp.from, f.ramp.to))
	}
	if !f.startAt.IsZero() {
		opts = append(opts, load.StartAt(f.startAt.Time))
	}
	if !f.quiet {
		opts = append(opts, load.Progress(std.err, load.DefaultProgressEvery))
	}
	return opts
}

// loadClients returns the target's clients named in list, or all of them.
func loadClients(tg *target.Target, list string) ([]load.Client, error) {
	have := map[string]*target.Client{}
	var all []string
	for _, c := range []*target.Client{tg.Primary, tg.Peer} {
		if c != nil {
			have[c.Name] = c
			all = append(all, c.Name)
		}
	}
	names := all
	if list != "" {
		names = strings.Split(list, ",")
	}
	var out []load.Client
	for _, name := range names {
		c := have[strings.TrimSpace(name)]
		if c == nil {
			return nil, usagef("load: --clients: the target has no client %q (it has %s)",
				name, strings.Join(all, ", "))
		}
		out = append(out, load.Client{Name: c.Name, Cred: c.Cred, Codec: c.Codec})
	}
	return out, nil
}

// run attacks and writes the results file, the report and the plot.
func (f *loadFlags) run(ctx context.Context, std stdio, tg *target.Target,
	atk *load.Attack) error {
	tuneGC()
	dir := f.reportDir
	if dir == "" {
		dir = reports.DefaultDir("load", time.Now())
	}
	out := f.output
	if out == "" {
		out = filepath.Join(dir, "results.bin")
	}
	results, err := createLoadResults(out)
	if err != nil {
		return err
	}
	agg := load.NewAggregator()
	pl := newLoadPlot("gwcert load: " + tg.Describe())
	runErr := atk.Run(ctx, agg, results.encode, pl.Add)
	if err := errors.Join(runErr, results.close()); err != nil {
		return err
	}
	m := agg.Metrics()
	settings := atk.Settings()
	m.Settings = &settings
	rep := reports.New("load", tg.Describe(), buildinfo.Version())
	rep.Profile = tg.Profile.Name
	if !m.Earliest.IsZero() {
		rep.Started = m.Earliest.Truncate(time.Second) // after any wait for --start-at
	}
	rep.Interrupted = ctx.Err() != nil && f.duration > 0
	return finishLoad(std, rep, m, pl, dir, out, f.minSuccess)
}

// Garbage collection settings of a load run, unless GOGC or GOMEMLIMIT
// say otherwise. Every request and answer allocates a little, and the
// attacker shares the CPU with what it measures: collecting at 400 %
// growth instead of 100 % cut gwcert's CPU per request by about a tenth
// against the mock on two cores (84-100 µs to 76-79 µs, 8 s runs). The
// soft memory limit makes the collector work harder again long before a
// run holding many plot points could use much memory.
const (
	loadGCPercent = 400
	loadMemoryCap = 1 << 30
)

// tuneGC applies the load run's collector settings.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(loadGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(loadMemoryCap)
	}
}

// loadResultsFile writes Vegeta results in its gob encoding.
type loadResultsFile struct {
	f   *os.File
	w   *bufio.Writer
	enc vegeta.Encoder
}

func createLoadResults(path string) (*loadResultsFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("load: results file: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("load: results file: %w", err)
	}
	w := bufio.NewWriter(f)
	return &loadResultsFile{f: f, w: w, enc: vegeta.NewEncoder(w)}, nil
}

func (r *loadResultsFile) encode(res *vegeta.Result) error {
	if err := r.enc.Encode(res); err != nil {
		return fmt.Errorf("load: writing %s: %w", r.f.Name(), err)
	}
	return nil
}

func (r *loadResultsFile) close() error {
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("load: writing %s: %w", r.f.Name(), err)
	}
	return nil
}

// newLoadPlot returns Vegeta's HTML latency plot, thinned as its CLI does.
func newLoadPlot(title string) *plot.Plot {
	return plot.New(plot.Title(title), plot.Downsample(4000))
}

// loadCheckID is the report's one check: the success share against the
// minimum.
const loadCheckID = "L-5.1"

// finishLoad writes report.json, junit.xml and plot.html into dir,
// prints a summary and fails below the minimum success percent.
func finishLoad(std stdio, rep *reports.Report, m load.Metrics, pl *plot.Plot, dir,
	results string, minSuccess float64) error {
	rep.Finished = time.Now().UTC().Truncate(time.Second)
	ok := m.Requests > 0 && 100*m.Success >= minSuccess
	rep.Add(loadVerdict(m, minSuccess, ok))
	var err error
	if rep.Load, err = json.Marshal(m); err != nil {
		return fmt.Errorf("load: encoding metrics: %w", err)
	}
	if err := reports.WriteDir(dir, rep); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := writeLoadPlot(filepath.Join(dir, "plot.html"), pl); err != nil {
		return err
	}
	if err := printLoadSummary(std.out, rep.Target, m, dir, results); err != nil {
		return err
	}
	if !ok || rep.Interrupted {
		return errChecksFailed
	}
	return nil
}

func loadVerdict(m load.Metrics, minSuccess float64, ok bool) reports.Check {
	def := checks.MustLookup(loadCheckID)
	c := reports.Check{ID: def.ID, Name: def.Title, Section: def.Section, Level: def.Level,
		Verdict: reports.Pass, Duration: m.Duration + m.Wait,
		Reason: fmt.Sprintf("%.2f%% of %d answers were 2xx with a ResponseData that opened "+
			"to JSON holding the route's expected member", 100*m.Success, m.Requests),
		Evidence: &reports.Evidence{Expected: []string{fmt.Sprintf("at least %g%%", minSuccess)},
			Actual: fmt.Sprintf("%.2f%%; errors: %s", 100*m.Success, loadErrorCounts(m.Errors))}}
	if !ok {
		c.Verdict = reports.Fail
	}
	return c
}

func writeLoadPlot(path string, pl *plot.Plot) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("load: plot: %w", err)
	}
	pl.Close()
	_, err = pl.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("load: plot: %w", err)
	}
	return nil
}

// printLoadSummary prints the figures a person looks at first.
func printLoadSummary(w io.Writer, target string, m load.Metrics, dir, results string) error {
	l := m.Latencies
	_, err := fmt.Fprintf(w, "\ngwcert load against %s\n"+
		"  requests %d  rate %.1f/s  throughput %.1f/s  success %.2f%%\n"+
		"  latency ms  p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  max %.2f\n"+
		"  status codes: %s\n  errors: %s\n  report: %s\n  results: %s\n",
		target, m.Requests, m.Rate, m.Throughput, 100*m.Success, l.P50, l.P90, l.P95, l.P99,
		l.Max, loadStatusCounts(m.StatusCodes), loadErrorCounts(m.Errors), dir, results)
	return err
}

func loadStatusCounts(codes map[string]int) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		parts = append(parts, code+"="+strconv.Itoa(codes[code]))
	}
	return strings.Join(parts, " ")
}

func loadErrorCounts(errs map[string]uint64) string {
	if len(errs) == 0 {
		return "none"
	}
	var parts []string
	for _, kind := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, kind+"="+strconv.FormatUint(errs[kind], 10))
	}
	return strings.Join(parts, ", ")
}

// loadMergeFlags are the flags of gwcert load merge.
type loadMergeFlags struct {
	dir        string
	minSuccess float64
	expect     int
}

func (f *loadMergeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "report-dir", "", "write report.json, junit.xml and plot.html in "+
		"`DIR` (default out/load-<UTC time>)")
	fs.Float64Var(&f.minSuccess, "min-success", 100, "fail below this success `percent`")
	fs.IntVar(&f.expect, "expect", 0, "fail unless exactly `N` results files are merged "+
		"(0: any number)")
}

// runLoadMerge merges the results files of several attackers into one
// report and plot.
func runLoadMerge(args []string, std stdio) error {
	var f loadMergeFlags
	fs := newFlagSet("load merge", "[--report-dir DIR] [--min-success P] [--expect N] FILE...",
		std.out)
	f.register(fs)
	files, err := parseLoadMergeArgs(fs, args, std.out)
	if err != nil {
		return err
	}
	if !(f.minSuccess >= 0 && f.minSuccess <= 100) {
		return usagef("load merge: --min-success %v: want a percent from 0 to 100", f.minSuccess)
	}
	if f.expect > 0 && len(files) != f.expect {
		return fmt.Errorf("load merge: %d results files, expected %d: %s", len(files), f.expect,
			strings.Join(files, " "))
	}
	if f.dir == "" {
		f.dir = reports.DefaultDir("load", time.Now())
	}
	agg, pl := load.NewAggregator(), newLoadPlot("gwcert load: merged results")
	var first vegeta.Result
	for _, name := range files {
		if err := mergeLoadFile(name, agg, pl, &first); err != nil {
			return err
		}
	}
	rep := reports.New("load", loadTargetOf(&first), buildinfo.Version())
	m := agg.Metrics()
	if !m.Earliest.IsZero() {
		rep.Started = m.Earliest.Truncate(time.Second)
	}
	return finishLoad(std, rep, m, pl, f.dir, strings.Join(files, " "), f.minSuccess)
}

// parseLoadMergeArgs parses the flags and returns the results files,
// with glob patterns expanded (a Kubernetes Job passes no shell).
func parseLoadMergeArgs(fs *flag.FlagSet, args []string, help io.Writer) ([]string, error) {
	usage := fs.Usage
	fs.Usage = func() {} // printed once below, not by Parse as well
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(help)
		usage()
		return nil, errHelp
	} else if err != nil {
		return nil, usagef("load merge: %v", err)
	}
	var files []string
	for _, arg := range fs.Args() {
		if strings.HasPrefix(arg, "-") {
			return nil, usagef("load merge: flag %s after the files: put flags first", arg)
		}
		matches, err := filepath.Glob(arg)
		if err != nil || len(matches) == 0 && strings.ContainsAny(arg, "*?[") {
			return nil, usagef("load merge: no results file matches %s", arg)
		}
		if len(matches) == 0 {
			matches = []string{arg} // a plain name: let opening it say what is wrong
		}
		files = append(files, matches...)
	}
	if len(files) == 0 {
		return nil, usagef("load merge: no results file given")
	}
	return files, nil
}

// mergeLoadFile adds every result of one Vegeta results file (gob, JSON or
// CSV) to agg and pl, and keeps the first result seen in first. In the
// plot each file is its own series: Vegeta's plot orders the points of
// a series by sequence number, which restarts in every file.
func mergeLoadFile(name string, agg *load.Aggregator, pl *plot.Plot, first *vegeta.Result) error {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return usagef("load merge: no results file %s", name)
	} else if err != nil {
		return fmt.Errorf("load merge: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		return nil // an attacker that got no answer at all
	}
	dec := vegeta.DecoderFor(bufio.NewReader(f))
	if dec == nil {
		return fmt.Errorf("load merge: %s: not a Vegeta results file (gob, JSON or CSV)", name)
	}
	for n := 0; ; n++ {
		var r vegeta.Result
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("load merge: %s: result %d: %w", name, n+1, err)
		}
		if first.Timestamp.IsZero() {
			*first = r
		}
		agg.Add(&r)
		r.Attack += " (" + filepath.Base(name) + ")"
		if err := pl.Add(&r); err != nil {
			return fmt.Errorf("load merge: %s: plot: %w", name, err)
		}
	}
}

// loadTargetOf names the gateway of a result: its URL's scheme and host.
func loadTargetOf(r *vegeta.Result) string {
	u, err := url.Parse(r.URL)
	if err != nil || u.Host == "" {
		return "unknown (no result)"
	}
	return u.Scheme + "://" + u.Host
}

// loadRampFlag is the value of --ramp, "A:B".
type loadRampFlag struct {
	from, to float64
	set      bool
}

func (r *loadRampFlag) String() string {
	if !r.set {
		return ""
	}
	return strconv.FormatFloat(r.from, 'g', -1, 64) + ":" + strconv.FormatFloat(r.to, 'g', -1, 64)
}

func (r *loadRampFlag) Set(s string) error {
	a, b, ok := strings.Cut(s, ":")
	from, err1 := strconv.ParseFloat(a, 64)
	to, err2 := strconv.ParseFloat(b, 64)
	if !ok || err1 != nil || err2 != nil {
		return errors.New("want two rates per second FROM:TO, such as 10:200")
	}
	r.from, r.to, r.set = from, to, true
	return nil
}

// loadShardFlag is the value of --shard, "i/N".
type loadShardFlag struct{ load.Shard }

func (s *loadShardFlag) String() string {
	if s.Count == 0 {
		return ""
	}
	return s.Shard.String()
}

func (s *loadShardFlag) Set(v string) (err error) {
	s.Shard, err = load.ParseShard(v)
	return err
}

// loadTimeFlag is the value of --start-at, an RFC 3339 time.
type loadTimeFlag struct{ time.Time }

func (t *loadTimeFlag) String() string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func (t *loadTimeFlag) Set(v string) (err error) {
	t.Time, err = time.Parse(time.RFC3339, v)
	if err != nil {
		return errors.New("want an RFC 3339 time such as 2026-05-01T10:00:00Z")
	}
	return nil
}

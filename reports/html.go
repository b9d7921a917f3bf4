package reports

import (
	"cmp"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HTMLFile is the name of the summary page in a report folder.
const HTMLFile = "index.html"

// HTMLOptions shape the page [WriteHTML] writes.
type HTMLOptions struct {
	// Title heads the page; "gwcert report" when empty.
	Title string
	// Certificates holds the certificate details of client runs, by
	// report. A client run missing here gets details read from its
	// report: driver from the target, profile, version and vector
	// digest; the scenario's step count is then left out.
	Certificates map[*Report]CertificateInfo
}

//go:embed html.html.tmpl
var htmlFS embed.FS

var htmlTmpl = template.Must(template.New("html.html.tmpl").Funcs(template.FuncMap{
	"lower":   verdictClass,
	"section": sectionText,
	"utc":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"px":      fixed1, // SVG coordinates
	"ms":      formatMS,
	"share":   formatShare,
	"fixed1":  fixed1,
	"seconds": formatSeconds,
}).ParseFS(htmlFS, "html.html.tmpl"))

// WriteHTML writes one self-contained HTML page that sums up runs: the
// verdict counts per run and overall, every check grouped by the section
// of PROTOCOL.md it checks, with its evidence, filterable by verdict and
// text; the certificate of each client run; and the figures and plots of
// each run that holds load metrics. CSS and SVG are inline, nothing is
// fetched, and a short inline script adds the filter (the page reads the
// same without it). Text is shown as the reports hold it: producers
// redact secrets before filling them.
func WriteHTML(w io.Writer, runs []*Report, opt HTMLOptions) error {
	page, err := buildPage(runs, opt)
	if err != nil {
		return err
	}
	if err := htmlTmpl.Execute(w, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// WriteHTMLFile writes the page of [WriteHTML] to path, creating its
// folder, through a temporary file so a reader never sees half a page.
func WriteHTMLFile(path string, runs []*Report, opt HTMLOptions) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("report dir: %w", err)
	}
	return writeFile(path, nil, func(w io.Writer, _ *Report) error {
		return WriteHTML(w, runs, opt)
	})
}

// htmlPage is what the page template shows.
type htmlPage struct {
	Title    string
	Headline string // the overall outcome in a few words
	HeadKind string // its CSS class
	Overall  Summary
	Total    int
	Runs     []htmlRun
	Sections []*htmlSection
	Verdicts []Verdict
}

// htmlRun is one report on the page, numbered from 1.
type htmlRun struct {
	N      int
	Report *Report
	Total  int
	Took   string // from start to finish; empty when unknown
	Cert   *htmlCert
	Load   *htmlLoad
}

// htmlCert is the certificate block of a client run.
type htmlCert struct {
	Info     CertificateInfo
	Standing string
	Digest   string
}

// htmlSection is one group of the checks table.
type htmlSection struct {
	Key, Title string
	Checks     []htmlCheck
	Summary    Summary
}

// htmlCheck is a check with the run it came from.
type htmlCheck struct {
	Check
	Run   int
	Suite string
}

func buildPage(runs []*Report, opt HTMLOptions) (*htmlPage, error) {
	p := &htmlPage{Title: cmp.Or(opt.Title, "gwcert report"), Verdicts: Verdicts}
	sections := map[string]*htmlSection{}
	for i, r := range runs {
		if r == nil {
			return nil, fmt.Errorf("html report: run %d: no report", i+1)
		}
		run, err := buildRun(i+1, r, opt)
		if err != nil {
			return nil, fmt.Errorf("html report: run %d (%s): %w", i+1, r.Suite, err)
		}
		p.Runs = append(p.Runs, run)
		p.Overall = addSummaries(p.Overall, r.Summary)
		for _, c := range r.Checks {
			key := sectionOf(c)
			if sections[key] == nil {
				sections[key] = &htmlSection{Key: key, Title: sectionTitle(key)}
			}
			sections[key].Checks = append(sections[key].Checks, htmlCheck{c, i + 1, r.Suite})
			sections[key].Summary.add(c.Verdict)
		}
	}
	p.Total = total(p.Overall)
	p.Headline, p.HeadKind = headline(p)
	for _, s := range sections {
		slices.SortStableFunc(s.Checks, func(a, b htmlCheck) int {
			return cmp.Compare(urgency(a.Verdict), urgency(b.Verdict))
		})
		p.Sections = append(p.Sections, s)
	}
	slices.SortFunc(p.Sections, func(a, b *htmlSection) int { return compareSections(a.Key, b.Key) })
	return p, nil
}

func buildRun(n int, r *Report, opt HTMLOptions) (htmlRun, error) {
	run := htmlRun{N: n, Report: r, Total: total(r.Summary)}
	if !r.Finished.IsZero() && !r.Started.IsZero() {
		run.Took = r.Finished.Sub(r.Started).String()
	}
	if r.Suite == "client" {
		cert, err := buildCert(r, opt)
		if err != nil {
			return run, err
		}
		run.Cert = cert
	}
	if len(r.Load) == 0 || string(r.Load) == "null" {
		return run, nil
	}
	l, err := buildLoad(r.Load)
	run.Load = l
	return run, err
}

// buildCert states the certificate of a client run, from the options or
// else from the report; the client suite names its target "driver: "
// and the driver's command line.
func buildCert(r *Report, opt HTMLOptions) (*htmlCert, error) {
	info, ok := opt.Certificates[r]
	if !ok {
		info = CertificateInfo{Profile: r.Profile, Version: r.Version,
			VectorDigest: r.VectorDigest, Driver: strings.TrimPrefix(r.Target, "driver: ")}
	}
	digest, err := ReportDigest(r)
	if err != nil {
		return nil, err
	}
	return &htmlCert{Info: info, Standing: Standing(r), Digest: digest}, nil
}

// headline states the outcome of every run together, and its CSS class.
func headline(p *htmlPage) (text, class string) {
	interrupted := slices.ContainsFunc(p.Runs, func(r htmlRun) bool { return r.Report.Interrupted })
	switch {
	case p.Overall.Fail > 0:
		return fmt.Sprintf("%d of %d checks failed", p.Overall.Fail, p.Total), "fail"
	case interrupted:
		return "a run was interrupted", "fail"
	case p.Total == 0:
		return "no check ran", "skip"
	case p.Overall.Skip > 0:
		return fmt.Sprintf("no check failed; %d of %d skipped", p.Overall.Skip, p.Total), "warn"
	}
	return fmt.Sprintf("no check failed of %d", p.Total), "pass"
}

// urgency orders checks within a section: failures first, then
// warnings, then the rest in the order of their runs.
func urgency(v Verdict) int {
	switch v {
	case Fail:
		return 0
	case Warn:
		return 1
	}
	return 2
}

func addSummaries(a, b Summary) Summary {
	return Summary{Pass: a.Pass + b.Pass, Fail: a.Fail + b.Fail, Warn: a.Warn + b.Warn,
		Info: a.Info + b.Info, Skip: a.Skip + b.Skip}
}

func total(s Summary) int { return s.Pass + s.Fail + s.Warn + s.Info + s.Skip }

// sectionOf is the check's section, or else the number its id carries
// after the letter: "6" for G-6.5. It is empty when neither says.
func sectionOf(c Check) string {
	if c.Section != "" {
		return c.Section
	}
	_, rest, ok := strings.Cut(c.ID, "-")
	num, _, _ := strings.Cut(rest, ".")
	if ok && num != "" && strings.Trim(num, "0123456789") == "" {
		return num
	}
	return ""
}

// protocolSections are the headings of PROTOCOL.md's sections; they must
// follow that file.
var protocolSections = map[string]string{
	"1": "Credentials", "2": "Cipher schemes", "3": "The header_secrets header",
	"4": "Requests", "5": "Responses", "6": "Gateway checks, in order",
	"7": "Security expectations", "8": "Known-answer vectors",
}

func sectionTitle(key string) string {
	switch {
	case key == "":
		return "Checks without a section"
	case protocolSections[key] != "":
		return key + ". " + protocolSections[key]
	case isNumber(key):
		return "Section " + key
	}
	return "The " + key + " contract"
}

// compareSections orders PROTOCOL.md's sections by number, then the
// named contracts, then checks without a section.
func compareSections(a, b string) int {
	rank := func(k string) int {
		switch {
		case k == "":
			return 2
		case isNumber(k):
			return 0
		}
		return 1
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 || rank(a) != 0 {
		return cmp.Or(c, strings.Compare(a, b))
	}
	x, _ := strconv.ParseFloat(a, 64)
	y, _ := strconv.ParseFloat(b, 64)
	return cmp.Or(cmp.Compare(x, y), strings.Compare(a, b))
}

func isNumber(s string) bool { return s != "" && strings.Trim(s, "0123456789.") == "" }

func fixed1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// formatMS writes milliseconds with a precision that suits their size.
func formatMS(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1:
		return strconv.FormatFloat(v, 'f', 3, 64)
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// formatSeconds writes seconds, in milliseconds below one second.
func formatSeconds(v float64) string {
	if v < 1 {
		return formatMS(v*1000) + " ms"
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " s"
}

// formatShare writes a share from 0 to 1 as a percentage. A share short
// of 1 never shows as 100 %, so a single failure stays visible.
func formatShare(v float64) string {
	p := v * 100
	if v < 1 && p >= 99.995 {
		p = 99.99
	}
	return strconv.FormatFloat(p, 'f', 2, 64) + " %"
}

// loadMetrics mirrors the JSON that package load writes into a report's
// load member (load.Metrics); reports reads it without importing load.
// The metrics carry latency quantiles but no series over time and no
// histogram buckets, so the page plots latency by quantile and a
// histogram whose bands are bounded by the quantiles.
type loadMetrics struct {
	loadTotals
	Attacks  []string      `json:"attacks"`
	Settings *loadSettings `json:"settings"`
	Routes   []loadRoute   `json:"routes"`
}

type loadRoute struct {
	Route string `json:"route"`
	loadTotals
}

type loadTotals struct {
	Requests    uint64            `json:"requests"`
	Successes   uint64            `json:"successes"`
	Success     float64           `json:"success"`
	Rate        float64           `json:"rate"`
	Throughput  float64           `json:"throughput"`
	Duration    float64           `json:"duration_seconds"`
	Wait        float64           `json:"wait_seconds"`
	Latencies   loadLatencies     `json:"latencies_ms"`
	BytesIn     uint64            `json:"bytes_in"`
	BytesOut    uint64            `json:"bytes_out"`
	StatusCodes map[string]int    `json:"status_codes"`
	Errors      map[string]uint64 `json:"errors"`
}

type loadLatencies struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Min  float64 `json:"min"`
}

type loadSettings struct {
	Rate        *float64 `json:"rate"`
	RampFrom    float64  `json:"ramp_from"`
	RampTo      float64  `json:"ramp_to"`
	Duration    string   `json:"duration"`
	Workers     uint64   `json:"workers"`
	Connections int      `json:"connections"`
	Timeout     string   `json:"timeout"`
	KeepAlive   bool     `json:"keepalive"`
	HTTP2       bool     `json:"http2"`
	Shard       string   `json:"shard"`
}

// RateText states the attack's rate, or its ramp.
func (s *loadSettings) RateText() string {
	switch {
	case s.Rate == nil:
		return fmt.Sprintf("ramp from %g/s to %g/s", s.RampFrom, s.RampTo)
	case *s.Rate == 0:
		return "as fast as the workers go"
	}
	return fmt.Sprintf("%g/s", *s.Rate)
}

// htmlLoad is the load block of a run.
type htmlLoad struct {
	M         loadMetrics
	Statuses  []countRow
	Errors    []countRow
	Quantiles *svgPlot // nil when no request was made
	Histogram *svgPlot
}

// countRow is one line of a table of counts.
type countRow struct {
	Key   string
	Count uint64
}

func buildLoad(raw []byte) (*htmlLoad, error) {
	var m loadMetrics
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("member load: %w", err)
	}
	l := &htmlLoad{M: m, Errors: countRows(m.Errors, false)}
	statuses := map[string]uint64{}
	for k, v := range m.StatusCodes {
		statuses[k] = uint64(max(v, 0))
	}
	l.Statuses = countRows(statuses, true)
	if m.Requests > 0 && m.Latencies.Max > 0 {
		l.Quantiles = quantilePlot(m)
		l.Histogram = histogramPlot(m.Latencies)
	}
	return l, nil
}

// countRows lists counts by key, or by count, largest first.
func countRows[N int | uint64](counts map[string]N, byKey bool) []countRow {
	rows := make([]countRow, 0, len(counts))
	for k, v := range counts {
		rows = append(rows, countRow{k, uint64(v)})
	}
	slices.SortFunc(rows, func(a, b countRow) int {
		if byKey {
			return strings.Compare(a.Key, b.Key)
		}
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Key, b.Key))
	})
	return rows
}

// svgPlot is a chart drawn as inline SVG: a plot area with ticks, and
// either lines or bars.
type svgPlot struct {
	W, H                     float64
	Left, Right, Top, Bottom float64 // edges of the plot area
	XMid, YMid               float64 // where the axis labels are centred
	XLabel, YLabel           string
	XTicks, YTicks           []svgTick
	Series                   []svgSeries
	Bars                     []svgBar
}

type svgTick struct {
	At    float64 // x for an x tick, y for a y tick
	Label string
}

type svgSeries struct {
	Class, Label, Points string
	Dots                 []svgDot
}

type svgDot struct {
	X, Y  float64
	Title string
}

type svgBar struct {
	X, Y, W, H float64
	CX         float64 // the bar's centre
	Label      string  // drawn above the bar when Wide
	Wide       bool    // wide enough for its label
	Title      string
}

// newPlot returns an empty plot area of the page's size.
func newPlot(xLabel, yLabel string) *svgPlot {
	p := &svgPlot{W: 640, H: 250, Left: 64, Right: 624, Top: 14, Bottom: 206,
		XLabel: xLabel, YLabel: yLabel}
	p.XMid, p.YMid = (p.Left+p.Right)/2, (p.Top+p.Bottom)/2
	return p
}

// yAxis gives the plot y ticks from 0 to at least top and returns the
// function that places a value.
func (p *svgPlot) yAxis(top float64) func(float64) float64 {
	step, end := niceAxis(top)
	y := func(v float64) float64 { return p.Bottom - v/end*(p.Bottom-p.Top) }
	for i := 0.0; i*step <= end*1.0001; i++ {
		p.YTicks = append(p.YTicks, svgTick{y(i * step), tickLabel(i*step, step)})
	}
	return y
}

// niceAxis picks a tick step of 1, 2 or 5 times a power of ten giving
// about five ticks, and the axis end, a whole number of steps >= top.
func niceAxis(top float64) (step, end float64) {
	if top <= 0 {
		return 1, 1
	}
	raw := top / 5
	pow := 1.0
	for pow*10 <= raw {
		pow *= 10
	}
	for pow > raw {
		pow /= 10
	}
	step = pow * 10
	for _, f := range []float64{1, 2, 5} {
		if f*pow >= raw {
			step = f * pow
			break
		}
	}
	n := float64(int(top/step + 0.9999))
	return step, max(n, 1) * step
}

// tickLabel writes v with as many decimals as the step needs.
func tickLabel(v, step float64) string {
	decimals := 0
	for s := step; s < 0.999 && decimals < 6; s *= 10 {
		decimals++
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// quantileNames label the points of the quantile plot, in order.
var quantileNames = []string{"min", "p50", "p90", "p95", "p99", "max"}

func quantilesOf(l loadLatencies) []float64 {
	return []float64{l.Min, l.P50, l.P90, l.P95, l.P99, l.Max}
}

// maxPlotRoutes bounds the routes drawn in the quantile plot; the route
// table below it still lists every route.
const maxPlotRoutes = 5

// quantilePlot draws latency at each quantile as a line per route, when
// there are several routes, and one for all routes.
func quantilePlot(m loadMetrics) *svgPlot {
	p := newPlot("quantile", "latency (ms)")
	top := m.Latencies.Max
	for _, r := range m.Routes {
		top = max(top, r.Latencies.Max)
	}
	y := p.yAxis(top)
	x := func(i int) float64 {
		return p.Left + 20 + float64(i)*(p.Right-p.Left-40)/float64(len(quantileNames)-1)
	}
	for i, name := range quantileNames {
		p.XTicks = append(p.XTicks, svgTick{x(i), name})
	}
	if len(m.Routes) > 1 {
		for i, r := range m.Routes[:min(len(m.Routes), maxPlotRoutes)] {
			p.Series = append(p.Series, lineOf(fmt.Sprintf("s%d", i+1), r.Route, r.Latencies, x, y))
		}
	}
	// The overall line comes last, drawn dashed over the routes' lines.
	p.Series = append(p.Series, lineOf("s0", "all routes", m.Latencies, x, y))
	return p
}

func lineOf(class, label string, l loadLatencies, x func(int) float64,
	y func(float64) float64) svgSeries {
	s := svgSeries{Class: class, Label: label}
	var pts []string
	for i, v := range quantilesOf(l) {
		d := svgDot{X: x(i), Y: y(v), Title: label + ": " + quantileNames[i] + " " +
			formatMS(v) + " ms"}
		s.Dots = append(s.Dots, d)
		pts = append(pts, strconv.FormatFloat(d.X, 'f', 1, 64)+","+
			strconv.FormatFloat(d.Y, 'f', 1, 64))
	}
	s.Points = strings.Join(pts, " ")
	return s
}

// histogramBands are the shares of requests between consecutive
// quantiles: min to p50, p50 to p90, p90 to p95, p95 to p99, p99 to max.
var histogramBands = []float64{0.50, 0.40, 0.05, 0.04, 0.01}

// histogramPlot draws the latency histogram that the quantiles imply:
// one bar per band between two neighbouring quantiles, on a logarithmic
// latency axis, as wide as the band and as high as its share divided by
// its width, so each bar's area is its share of requests. Within a band
// the spread of latencies is unknown and drawn flat. The height has no
// everyday unit, so the bars carry their shares and the y axis no ticks.
func histogramPlot(l loadLatencies) *svgPlot {
	p := newPlot("latency (ms), logarithmic axis", "density")
	q := quantilesOf(l)
	lo, hi := logRange(l)
	x := func(v float64) float64 {
		v = min(max(v, lo), hi)
		return p.Left + math.Log10(v/lo)/math.Log10(hi/lo)*(p.Right-p.Left)
	}
	p.XTicks = logTicks(lo, hi, x)
	floor := (p.Right - p.Left) / 200 // a narrower band is drawn this wide
	density := make([]float64, len(histogramBands))
	for i, share := range histogramBands {
		density[i] = share / max(x(q[i+1])-x(q[i]), floor)
	}
	top := slices.Max(density)
	for i, share := range histogramBands {
		b := svgBar{X: x(q[i]), W: max(x(q[i+1])-x(q[i]), floor),
			H:     density[i] / top * (p.Bottom - p.Top - 14),
			Label: strconv.FormatFloat(share*100, 'f', -1, 64) + " %",
			Title: fmt.Sprintf("%s to %s: %s ms to %s ms, %g %% of requests",
				quantileNames[i], quantileNames[i+1], formatMS(q[i]), formatMS(q[i+1]), share*100)}
		b.Y, b.CX, b.Wide = p.Bottom-b.H, b.X+b.W/2, b.W >= 30
		p.Bars = append(p.Bars, b)
	}
	return p
}

// logRange is the latency axis of the histogram: from the largest 1, 2
// or 5 times a power of ten not above min to the smallest not below max.
// A min of 0 cannot sit on a logarithmic axis, so the axis then starts
// three powers of ten below max.
func logRange(l loadLatencies) (lo, hi float64) {
	low := l.Min
	if low <= 0 {
		low = l.Max / 1000
	}
	lo, hi = step125(low, false), step125(l.Max, true)
	if hi <= lo {
		hi = lo * 10
	}
	return lo, hi
}

// step125 rounds v > 0 down, or up, to 1, 2 or 5 times a power of ten.
func step125(v float64, up bool) float64 {
	pow := math.Pow(10, math.Floor(math.Log10(v)))
	steps := []float64{1, 2, 5, 10}
	if up {
		for _, f := range steps {
			if f*pow >= v*0.9999 {
				return f * pow
			}
		}
	}
	for _, f := range slices.Backward(steps) {
		if f*pow <= v*1.0001 {
			return f * pow
		}
	}
	return pow
}

// logTicks marks 1, 2 and 5 times each power of ten from lo to hi, or
// only the powers of ten when the axis spans more than three of them.
func logTicks(lo, hi float64, x func(float64) float64) []svgTick {
	steps := []float64{1, 2, 5}
	if hi/lo > 1000 {
		steps = []float64{1}
	}
	var ticks []svgTick
	for pow := math.Pow(10, math.Floor(math.Log10(lo))); pow <= hi*1.0001; pow *= 10 {
		for _, f := range steps {
			if v := f * pow; v >= lo*0.9999 && v <= hi*1.0001 {
				ticks = append(ticks, svgTick{x(v), tickLabel(v, v)})
			}
		}
	}
	return ticks
}

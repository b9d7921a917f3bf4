package reports_test

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/load"
	"github.com/gwcert/gwcert/reports"
)

// sampleLoadJSON is a load member as package load writes it: two routes,
// a few failures of two kinds, and an answer that never came.
const sampleLoadJSON = `{
  "requests": 2000, "successes": 1990, "success": 0.995, "rate": 200.1, "throughput": 198.7,
  "duration_seconds": 9.995, "wait_seconds": 0.004,
  "latencies_ms": {"mean": 1.8, "p50": 1.2, "p90": 2.9, "p95": 4.1, "p99": 9.7, "max": 31.5,
    "min": 0.41},
  "bytes_in": 512000, "bytes_out": 768000,
  "status_codes": {"200": 1990, "401": 6, "0": 4},
  "errors": {"status 401": 6, "timeout": 4},
  "attacks": ["shard 0/1"],
  "settings": {"rate": 200, "duration": "10s", "workers": 10, "max_workers": 0,
    "connections": 10000, "max_connections": 0, "timeout": "30s", "keepalive": true,
    "http2": true, "shard": "0/1"},
  "routes": [
    {"route": "POST /api/echo", "requests": 1500, "successes": 1494, "success": 0.996,
     "rate": 150.1, "throughput": 149.2, "duration_seconds": 9.99, "wait_seconds": 0.002,
     "latencies_ms": {"mean": 1.5, "p50": 1.1, "p90": 2.5, "p95": 3.6, "p99": 8.8,
       "max": 30.2, "min": 0.41},
     "bytes_in": 384000, "bytes_out": 576000, "status_codes": {"200": 1494, "401": 6},
     "errors": {"status 401": 6}},
    {"route": "POST /api/payout", "requests": 500, "successes": 496, "success": 0.992,
     "rate": 50.0, "throughput": 49.5, "duration_seconds": 9.98, "wait_seconds": 0.004,
     "latencies_ms": {"mean": 2.7, "p50": 1.9, "p90": 4.4, "p95": 6.0, "p99": 12.1,
       "max": 31.5, "min": 0.52},
     "bytes_in": 128000, "bytes_out": 192000, "status_codes": {"200": 496, "0": 4},
     "errors": {"timeout": 4}}
  ]
}`

// loadSample is a load run: no checks, only metrics.
func loadSample() *reports.Report {
	r := reports.New("load", "http://127.0.0.1:8080", "v0.0.0-test")
	r.Started = time.Date(2026, 12, 3, 10, 1, 0, 0, time.UTC)
	r.Finished = time.Date(2026, 12, 3, 10, 1, 10, 0, time.UTC)
	r.Load = json.RawMessage(sampleLoadJSON)
	return r
}

// katSample is a passing known-answer run.
func katSample() *reports.Report {
	r := reports.New("kat", "codec: built-in", "v0.0.0-test")
	r.Started = time.Date(2026, 12, 3, 9, 59, 0, 0, time.UTC)
	r.VectorDigest = "sha256:00ff"
	r.Add(
		reports.Check{ID: "K-2.1", Name: "AES-256-CBC tokens match the vectors", Section: "2",
			Level: reports.Must, Verdict: reports.Pass, Reason: "183 of 183 vectors agree"},
		reports.Check{ID: "K-3.2", Name: "header_secrets is parsed strictly", Section: "3",
			Level: reports.Must, Verdict: reports.Pass, Reason: "41 of 41 vectors agree"},
	)
	return r
}

// htmlSample is the demo's set of runs: known answers, a gateway, a
// client certification and a load run.
func htmlSample() ([]*reports.Report, reports.HTMLOptions) {
	client := clientSample()
	runs := []*reports.Report{katSample(), sample(), client, loadSample()}
	return runs, reports.HTMLOptions{Title: "gwcert demo",
		Certificates: map[*reports.Report]reports.CertificateInfo{client: sampleInfo()}}
}

func htmlPage(t *testing.T, runs []*reports.Report, opt reports.HTMLOptions) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, reports.WriteHTML(&buf, runs, opt))
	return buf.String()
}

func TestHTMLGolden(t *testing.T) {
	runs, opt := htmlSample()
	golden(t, "index.html", []byte(htmlPage(t, runs, opt)))
}

func TestHTMLShowsEveryCheck(t *testing.T) {
	runs, opt := htmlSample()
	page := htmlPage(t, runs, opt)
	for _, r := range runs {
		for _, c := range r.Checks {
			assert.Contains(t, page, `<code class="id">`+c.ID+`</code> `+html.EscapeString(c.Name))
		}
	}
}

var countCell = regexp.MustCompile(`id="count-(\w+)-(\w+)">(\d+)<`)

// The summary's counts are recounted here from the checks themselves.
func TestHTMLCountsPerRunAndOverall(t *testing.T) {
	runs, opt := htmlSample()
	want := map[string]int{}
	for i, r := range runs {
		run := strconv.Itoa(i + 1)
		for _, c := range r.Checks {
			want[run+"-"+string(c.Verdict)]++
			want["all-"+string(c.Verdict)]++
			want[run+"-total"]++
			want["all-total"]++
		}
	}
	got := map[string]int{}
	for _, m := range countCell.FindAllStringSubmatch(htmlPage(t, runs, opt), -1) {
		n, err := strconv.Atoi(m[3])
		require.NoError(t, err)
		got[m[1]+"-"+m[2]] = n
	}
	require.Len(t, got, (len(runs)+1)*(len(reports.Verdicts)+1), "one cell per run and verdict")
	for key, n := range got {
		assert.Equal(t, want[key], n, key)
	}
	assert.Equal(t, 2, got["all-FAIL"])
	assert.Equal(t, 10, got["all-total"])
}

var (
	externalRef = regexp.MustCompile(`(?i)\b(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?//`)
	scriptSrc   = regexp.MustCompile(`(?i)<script[^>]*\bsrc\s*=`)
	linkTag     = regexp.MustCompile(`(?i)<link\b`)
)

func TestHTMLIsSelfContained(t *testing.T) {
	runs, opt := htmlSample()
	page := htmlPage(t, runs, opt)
	assert.NotRegexp(t, externalRef, page, "no resource from elsewhere")
	assert.NotRegexp(t, scriptSrc, page, "no script from a file")
	assert.NotRegexp(t, linkTag, page, "no linked stylesheet or font")
	for _, banned := range []string{"@import", "url(", "@font-face"} {
		assert.NotContains(t, page, banned)
	}
	assert.Equal(t, 1, strings.Count(page, "<script>"), "one inline script, the filter")
	assert.Contains(t, page, `<form id="filter" class="filter" hidden>`,
		"the filter stays hidden until the script shows it")
}

func TestHTMLEscapesEvidence(t *testing.T) {
	runs, opt := htmlSample()
	page := htmlPage(t, runs, opt)
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
	assert.NotContains(t, page, "<script>alert(1)")
	assert.Contains(t, page, "200 &lt;&amp;&gt;")
}

var detailsBlock = regexp.MustCompile(`(?s)<details( open)?>(.*?)</details>`)

// Failed checks show their evidence; the others keep it folded.
func TestHTMLOpensOnlyFailedEvidence(t *testing.T) {
	runs, opt := htmlSample()
	blocks := detailsBlock.FindAllStringSubmatch(htmlPage(t, runs, opt), -1)
	require.Len(t, blocks, 3, "three checks carry evidence")
	open := map[string]bool{}
	for _, b := range blocks {
		open[b[2]] = b[1] != ""
	}
	for body, isOpen := range open {
		failed := strings.Contains(body, "200 &lt;&amp;&gt;") ||
			strings.Contains(body, "repeats the IV")
		assert.Equal(t, failed, isOpen, body)
	}
}

func TestHTMLGroupsBySection(t *testing.T) {
	runs, opt := htmlSample()
	page := htmlPage(t, runs, opt)
	last := -1
	for _, s := range []string{"2", "3", "4", "5", "6", "7"} {
		at := strings.Index(page, `<section class="group" id="section-`+s+`">`)
		require.Greater(t, at, last, "section %s in order", s)
		last = at
	}
	sections := strings.Split(page, `<section class="group" id="section-`)
	inSection := func(id, section string) bool {
		for _, s := range sections[1:] {
			if strings.HasPrefix(s, section+`">`) {
				return strings.Contains(s, `<code class="id">`+id+`</code>`)
			}
		}
		return false
	}
	assert.True(t, inSection("G-6.5", "6"))
	assert.True(t, inSection("G-6.6", "6"), "a check without a section goes by its id")
	assert.True(t, inSection("S-7.2", "7"))
	assert.True(t, inSection("C-7.1", "7"))
	assert.True(t, inSection("K-2.1", "2"))
	assert.Contains(t, page, "6. Gateway checks, in order")
}

func TestHTMLCertificateBlock(t *testing.T) {
	runs, opt := htmlSample()
	page := htmlPage(t, runs, opt)
	digest, err := reports.ReportDigest(runs[2])
	require.NoError(t, err)
	info := sampleInfo()
	for _, want := range []string{`<div class="standing fail">NOT CERTIFIED</div>`, digest,
		"<code>" + info.Driver + "</code>", "24 steps", info.VectorDigest} {
		assert.Contains(t, page, want)
	}
	assert.Equal(t, 1, strings.Count(page, "Client certificate"), "only the client run has one")

	// Without options, the block is read from the report itself.
	bare := htmlPage(t, []*reports.Report{clientSample()}, reports.HTMLOptions{})
	assert.Contains(t, bare, "<code>"+info.Driver+"</code>")
	assert.NotContains(t, bare, "steps</td>")
	assert.Contains(t, bare, "<title>gwcert report: ")
}

func TestHTMLLoadFigures(t *testing.T) {
	page := htmlPage(t, []*reports.Report{loadSample()}, reports.HTMLOptions{})
	for _, want := range []string{"2000", "99.50 %", "198.7/s", "200.1/s", "1.20 ms", "9.70 ms",
		"<code>POST /api/payout</code>", "0 (no answer)", "status 401", "shard 0/1", "200/s",
		"no latency series over time", "no check ran"} {
		assert.Contains(t, page, want)
	}
	assert.Equal(t, 3, strings.Count(page, "<polyline "), "all routes and two routes")
	assert.Equal(t, 18, strings.Count(page, "<circle "), "six quantiles a line")
}

var barRect = regexp.MustCompile(`<rect class="bar" x="[\d.]+" y="[\d.]+" ` +
	`width="([\d.]+)" height="([\d.]+)">\n<title>[^<]*, ([\d.]+) % of requests</title>`)

// Each bar of the histogram has an area proportional to its share, up
// to the rounding of its sides to a tenth of a pixel.
func TestHTMLHistogramAreasFollowShares(t *testing.T) {
	page := htmlPage(t, []*reports.Report{loadSample()}, reports.HTMLOptions{})
	bars := barRect.FindAllStringSubmatch(page, -1)
	require.Len(t, bars, 5)
	type bar struct{ w, h, share float64 }
	var all []bar
	sum := 0.0
	for _, m := range bars {
		var b bar
		for i, p := range []*float64{&b.w, &b.h, &b.share} {
			v, err := strconv.ParseFloat(m[i+1], 64)
			require.NoError(t, err)
			*p = v
		}
		require.Positive(t, b.h, "every bar is visible")
		all = append(all, b)
		sum += b.share
	}
	assert.InDelta(t, 100, sum, 1e-9)
	perShare := all[0].w * all[0].h / all[0].share
	for _, b := range all {
		slack := 0.05 * (b.w + b.h + 0.05) // each side rounded by at most 0.05
		assert.InDelta(t, perShare*b.share, b.w*b.h, slack+perShare*b.share*0.01, "%+v", b)
	}
}

// The page reads the load member as package load writes it.
func TestHTMLReadsLoadMetrics(t *testing.T) {
	rate := 50.0
	m := load.Metrics{Totals: load.Totals{Requests: 1234, Successes: 1230, Success: 1230.0 / 1234,
		Throughput: 41.5, Latencies: load.Latencies{Min: 0.2, P50: 0.75, P99: 4.25, Max: 8}},
		Attacks:  []string{"shard 1/3"},
		Settings: &load.Settings{Rate: &rate, Duration: "30s", Shard: "1/3"},
		Routes:   []load.RouteMetrics{{Route: "POST /api/status"}}}
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	r := loadSample()
	r.Load = raw
	page := htmlPage(t, []*reports.Report{r}, reports.HTMLOptions{})
	for _, want := range []string{">1234<", "99.68 %", "41.5/s", "0.750 ms", "4.25 ms", "50/s",
		"shard 1/3", "<code>POST /api/status</code>"} {
		assert.Contains(t, page, want)
	}
}

func TestHTMLRefusesBadInput(t *testing.T) {
	r := loadSample()
	r.Load = json.RawMessage(`{"requests": "many"}`)
	err := reports.WriteHTML(&bytes.Buffer{}, []*reports.Report{katSample(), r},
		reports.HTMLOptions{})
	require.Error(t, err)
	for _, want := range []string{"run 2 (load)", "member load", "requests"} {
		assert.Contains(t, err.Error(), want)
	}

	err = reports.WriteHTML(&bytes.Buffer{}, []*reports.Report{katSample(), nil},
		reports.HTMLOptions{})
	require.ErrorContains(t, err, "run 2: no report")
}

func TestWriteHTMLFileCreatesFolderAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	runs, opt := htmlSample()
	require.NoError(t, reports.WriteHTMLFile(filepath.Join(dir, reports.HTMLFile), runs, opt))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "index.html", entries[0].Name())
	data, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	assert.Equal(t, htmlPage(t, runs, opt), string(data))
}

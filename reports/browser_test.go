package reports_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

var keepScreenshot = flag.String("gwcert.screenshot", "",
	"copy the browser test's screenshot of the HTML report to this path")

// chromiumBinary finds Chromium or skips the test.
func chromiumBinary(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if path, err := exec.LookPath("chromium"); err == nil {
		return path
	}
	t.Skip("Chromium is not installed (no /usr/bin/chromium, no chromium on PATH), " +
		"so the HTML report is not checked in a browser; .ci/run installs it")
	return ""
}

// runChromium runs headless Chromium with a fresh profile, for at most
// 30 s, and returns what it printed on stdout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second // helpers that outlive Chromium must not hold the test
	out, err := cmd.Output()
	require.NoError(t, err, "chromium %v failed; its stderr:\n%s", args, lastLines(&stderr, 20))
	return out
}

func lastLines(b *bytes.Buffer, n int) string {
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// probePage shows the report in a frame of the same origin and, once
// everything has loaded, writes what a reader sees into #probe: the
// rendered text (innerText leaves out what is not displayed, such as
// folded evidence), whether the failing check's evidence is visible, and
// how many checks stay visible after filtering by text, then by verdict.
const probePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>probe</title></head><body>
<iframe id="page" src="index.html" style="width:1280px;height:2000px;border:0"></iframe>
<pre id="probe"></pre>
<script>
window.addEventListener("load", function () {
  var d = document.getElementById("page").contentDocument;
  function visibleChecks() {
    return Array.prototype.filter.call(d.querySelectorAll("tbody.check"),
      function (c) { return c.checkVisibility(); }).length;
  }
  function set(el, prop, value) {
    el[prop] = value;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  }
  var out = {text: d.body.innerText, filterShown: !d.getElementById("filter").hidden,
    filterCount: d.getElementById("filter-count").textContent, visibleChecks: visibleChecks()};
  var pres = Array.prototype.filter.call(d.querySelectorAll("pre"),
    function (p) { return p.textContent.indexOf("repeats the IV") >= 0; });
  out.evidenceVisible = pres.length === 1 && pres[0].checkVisibility();
  set(d.getElementById("filter-text"), "value", "G-6.5");
  out.afterText = visibleChecks();
  set(d.querySelector("input[name=verdict][value=FAIL]"), "checked", false);
  out.afterVerdict = visibleChecks();
  out.afterVerdictCount = d.getElementById("filter-count").textContent;
  document.getElementById("probe").textContent = JSON.stringify(out);
});
</script></body></html>
`

type probeResult struct {
	Text              string `json:"text"`
	FilterShown       bool   `json:"filterShown"`
	FilterCount       string `json:"filterCount"`
	VisibleChecks     int    `json:"visibleChecks"`
	EvidenceVisible   bool   `json:"evidenceVisible"`
	AfterText         int    `json:"afterText"`
	AfterVerdict      int    `json:"afterVerdict"`
	AfterVerdictCount string `json:"afterVerdictCount"`
}

var probeOut = regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`)

// TestHTMLInChromium renders the sample page, which has failing checks,
// in headless Chromium: once to a screenshot, once to the DOM after the
// scripts ran.
func TestHTMLInChromium(t *testing.T) {
	bin := chromiumBinary(t)
	dir := t.TempDir()
	runs, opt := htmlSample()
	require.NoError(t, reports.WriteHTMLFile(filepath.Join(dir, reports.HTMLFile), runs, opt))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "probe.html"), []byte(probePage), 0o644))
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "page.png")
		runChromium(t, bin, "--screenshot="+shot, "--window-size=1280,2000",
			"--hide-scrollbars", srv.URL+"/index.html")
		checkScreenshot(t, shot)
	})
	t.Run("dom", func(t *testing.T) {
		dom := runChromium(t, bin, "--dump-dom", srv.URL+"/probe.html")
		m := probeOut.FindSubmatch(dom)
		require.NotNil(t, m, "the probe wrote nothing; DOM:\n%s", dom)
		var got probeResult
		require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got))
		checkRendered(t, runs, got)
	})
}

// checkScreenshot asserts the screenshot is a full-size PNG that shows
// the page's colours: the FAIL and PASS badges' backgrounds.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err, "Chromium wrote no screenshot")
	require.Greater(t, len(data), 20_000, "a screenshot of the whole page is not that small")
	if *keepScreenshot != "" {
		require.NoError(t, os.WriteFile(*keepScreenshot, data, 0o644))
	}
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 1280, 2000), img.Bounds())
	seen := map[color.RGBA]int{}
	for y := 0; y < img.Bounds().Dy(); y += 2 {
		for x := 0; x < img.Bounds().Dx(); x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}]++
		}
	}
	assert.Greater(t, len(seen), 50, "the page is more than a blank canvas")
	assert.Positive(t, seen[color.RGBA{0xfb, 0xe0, 0xe0, 255}], "FAIL background")
	assert.Positive(t, seen[color.RGBA{0xdf, 0xf3, 0xe4, 255}], "PASS background")
}

// checkRendered asserts what a reader of the page sees, with counts
// taken from the sample's checks.
func checkRendered(t *testing.T, runs []*reports.Report, got probeResult) {
	t.Helper()
	all, failed := 0, 0
	for _, r := range runs {
		for _, c := range r.Checks {
			all++
			if c.Verdict == reports.Fail {
				failed++
			}
		}
	}
	assert.True(t, got.FilterShown, "the script shows the filter")
	assert.Equal(t, fmt.Sprintf("%d of %d checks shown", all, all), got.FilterCount)
	assert.Equal(t, all, got.VisibleChecks)
	for _, want := range []string{
		fmt.Sprintf("%d of %d checks failed", failed, all),
		summaryRow("All runs", runs...),
		summaryRow(runs[1].Started.Format("2006-01-02 15:04:05 UTC"), runs[1]),
		"s01 RequestData: repeats the IV", "any non-2xx without ResponseData",
		"NOT CERTIFIED",
	} {
		assert.Contains(t, got.Text, want)
	}
	assert.True(t, got.EvidenceVisible, "the failing check's evidence is displayed")
	assert.NotContains(t, got.Text, "24 of 24 calls met it",
		"a passing check's evidence stays folded")
	assert.Equal(t, 1, got.AfterText, "filtering by G-6.5 leaves one check")
	assert.Equal(t, 0, got.AfterVerdict, "G-6.5 failed, so hiding FAIL hides it")
	assert.Equal(t, fmt.Sprintf("0 of %d checks shown", all), got.AfterVerdictCount)
}

// summaryRow is how innerText shows the end of a summary row: the text
// of the cell before the counts, then the count of each verdict and the total, tab apart.
func summaryRow(label string, runs ...*reports.Report) string {
	counts := map[reports.Verdict]int{}
	total := 0
	for _, r := range runs {
		for _, c := range r.Checks {
			counts[c.Verdict]++
			total++
		}
	}
	var b strings.Builder
	b.WriteString(label)
	for _, v := range reports.Verdicts {
		fmt.Fprintf(&b, "\t%d", counts[v])
	}
	fmt.Fprintf(&b, "\t%d", total)
	return b.String()
}

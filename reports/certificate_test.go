package reports_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

// clientSample is a client certification report with a passing, a
// failing and a skipped check, and evidence that needs escaping in HTML.
func clientSample() *reports.Report {
	r := reports.New("client", "driver: node examples/drivers/node/driver.js", "v0.0.0-test")
	r.Started = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	r.Finished = time.Date(2026, 12, 3, 10, 0, 3, 0, time.UTC)
	r.Profile = "mock"
	r.VectorDigest = "sha256:00ff"
	r.Add(
		reports.Check{ID: "C-4.1", Name: "every call carries both headers", Section: "4",
			Level: reports.Must, Verdict: reports.Pass, Reason: "all 24 calls carried both headers",
			Evidence: &reports.Evidence{Expected: []string{"pass_key: M7KZ…"},
				Actual: "24 of 24 calls met it"}},
		reports.Check{ID: "C-7.1", Name: "every IV is fresh", Section: "7", Level: reports.Must,
			Verdict: reports.Fail, Reason: "fixed IV: all 25 tokens use the IV 3132…",
			Evidence: &reports.Evidence{Sent: "POST /api/echo (s12: <script>alert(1)</script> & co)",
				Got: `200 {"ResponseData":"…"}`, Expected: []string{"a fresh IV", "never all zero"},
				Actual: "s01 RequestData: repeats the IV\nalso s02, s03"}},
		reports.Check{ID: "C-5.1", Name: "the client understands success answers", Section: "5",
			Level: reports.Must, Verdict: reports.Skip, Reason: "no call got a success answer"},
	)
	return r
}

func sampleInfo() reports.CertificateInfo {
	return reports.CertificateInfo{Profile: "mock", Driver: "node examples/drivers/node/driver.js",
		Version: "v0.0.0-test", VectorDigest: "sha256:00ff", Steps: 24}
}

func certificate(t *testing.T, r *reports.Report) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, reports.WriteCertificate(&buf, r, sampleInfo()))
	return buf.String()
}

func TestCertificateGolden(t *testing.T) {
	golden(t, "certificate.html", []byte(certificate(t, clientSample())))
}

// The digest printed on the certificate is the SHA-256 of report.json as
// WriteDir writes it, recomputed here from the file's bytes.
func TestCertificateDigestIsReportJSONSHA256(t *testing.T) {
	dir := t.TempDir()
	r := clientSample()
	require.NoError(t, reports.WriteDir(dir, r))
	path := filepath.Join(dir, reports.CertificateFile)
	require.NoError(t, reports.WriteCertificateFile(path, r, sampleInfo()))

	file, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	sum := sha256.Sum256(file)
	want := "sha256:" + hex.EncodeToString(sum[:])
	page, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(page), want)

	got, err := reports.ReportDigest(r)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	r.Checks[0].Reason += "."
	changed, err := reports.ReportDigest(r)
	require.NoError(t, err)
	assert.NotEqual(t, want, changed, "any change to the report must change its digest")
}

func TestCertificateIsSelfContained(t *testing.T) {
	page := strings.ToLower(certificate(t, clientSample()))
	for _, banned := range []string{"<script", "http://", "https://", "src=", "<link",
		"@import", "url("} {
		assert.NotContains(t, page, banned)
	}
	assert.Contains(t, page, "<style>")
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co",
		"evidence must be escaped")
}

func TestCertificateShowsEveryCheckAndTheRun(t *testing.T) {
	r := clientSample()
	page := certificate(t, r)
	for _, c := range r.Checks {
		assert.Contains(t, page, c.ID)
		assert.Contains(t, page, c.Name)
		assert.Contains(t, page, `class="badge `+strings.ToLower(string(c.Verdict))+`">`+
			string(c.Verdict))
	}
	info := sampleInfo()
	for _, want := range []string{info.Driver, info.Version, info.VectorDigest, "24 steps",
		"s01 RequestData: repeats the IV\nalso s02, s03", "never all zero",
		"2026-12-03 10:00:03 UTC"} {
		assert.Contains(t, page, want)
	}
}

func TestCertificateStanding(t *testing.T) {
	pass := reports.Check{ID: "C-4.1", Verdict: reports.Pass}
	cases := []struct {
		name   string
		checks []reports.Check
		intr   bool
		want   string
	}{
		{"all passed", []reports.Check{pass, pass}, false, reports.Certified},
		{"a warning still certifies", []reports.Check{pass, {ID: "C-x", Verdict: reports.Warn}},
			false, reports.Certified},
		{"a failure", []reports.Check{pass, {ID: "C-x", Verdict: reports.Fail}}, false,
			reports.NotCertified},
		{"interrupted", []reports.Check{pass}, true, reports.NotCertified},
		{"a skip", []reports.Check{pass, {ID: "C-x", Verdict: reports.Skip}}, false,
			reports.Incomplete},
		{"no check", nil, false, reports.Incomplete},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reports.New("client", "driver: x", "v")
			r.Add(tc.checks...)
			r.Interrupted = tc.intr
			assert.Equal(t, tc.want, reports.Standing(r))
			assert.Contains(t, certificate(t, r), `">`+tc.want+`</div>`)
		})
	}
}

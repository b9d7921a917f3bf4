package reports_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sample holds one check of every verdict, with evidence that needs
// escaping in XML.
func sample() *reports.Report {
	r := reports.New("gateway", "http://127.0.0.1:8080", "v0.0.0-test")
	r.Started = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	r.VectorDigest = "sha256:00ff"
	r.Add(
		reports.Check{ID: "G-6.1", Name: "unknown pass_key is refused", Section: "6", Level: reports.Must,
			Verdict: reports.Pass, Duration: 0.012},
		reports.Check{ID: "G-6.5", Name: "an epoch 301 s old is refused", Section: "6", Level: reports.Must,
			Verdict: reports.Fail, Reason: "the gateway accepted a stale epoch",
			Evidence: &reports.Evidence{Sent: "POST /api/echo\npass_key: ABCD…", Got: `200 {"ResponseData":"…"}`,
				Expected: []string{"401 plain JSON", "any non-2xx without ResponseData"}, Actual: "200 <&>"}},
		reports.Check{ID: "G-6.6", Name: "far-future epoch is refused", Level: reports.Should,
			Verdict: reports.Warn, Reason: "accepted an epoch 61 s ahead"},
		reports.Check{ID: "S-7.2", Name: "padding oracle timing", Verdict: reports.Info, Reason: "no separation"},
		reports.Check{ID: "G-6.4", Name: "another client's key", Verdict: reports.Skip,
			Reason: "no peer client configured (GWCERT_PEER_* unset)"},
	)
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./reports -update to create the golden file")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}

func TestSummaryCountsEveryVerdict(t *testing.T) {
	r := sample()
	for _, v := range reports.Verdicts {
		assert.Equal(t, 1, r.Summary.Count(v), v)
	}
	assert.True(t, r.Failed())
}

func TestJSONGoldenAndRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, reports.WriteJSON(&buf, sample()))
	golden(t, "report.json", buf.Bytes())

	back, err := reports.ReadJSON(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	if diff := cmp.Diff(sample(), back); diff != "" {
		t.Errorf("round trip changed the report (-want +got):\n%s", diff)
	}
}

func TestJUnitGoldenAndCounts(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, reports.WriteJUnit(&buf, sample()))
	golden(t, "junit.xml", buf.Bytes())

	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suite    struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, 5, doc.Tests)
	assert.Equal(t, 1, doc.Failures, "WARN and INFO are never failures")
	assert.Equal(t, 1, doc.Skipped)
	require.Len(t, doc.Suite.Cases, 5)
	assert.NotNil(t, doc.Suite.Cases[1].Failure)
	assert.NotNil(t, doc.Suite.Cases[4].Skipped)
	assert.Nil(t, doc.Suite.Cases[2].Failure, "WARN passes in JUnit")
}

func TestWriteDirLeavesNoTemporaryFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "out")
	require.NoError(t, reports.WriteDir(dir, sample()))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, err := e.Info()
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(),
			"%s must be readable by CI jobs and web servers running as another user", e.Name())
	}
	assert.Equal(t, []string{"junit.xml", "report.json"}, names)
}

func TestDefaultDir(t *testing.T) {
	at := time.Date(2026, 12, 3, 16, 5, 9, 0, time.FixedZone("x", 3600))
	assert.Equal(t, filepath.Join("out", "kat-20261203T150509Z"), reports.DefaultDir("kat", at))
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

const nodeAdapter = "node examples/adapters/node/adapter.js"

// Every check id of the suite must pass against gwcert's own codec, with
// the vendored Wycheproof groups outside the protocol skipped, not passed.
func TestKATGoCodecPasses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := gwcert(t, time.Minute, "kat", "--report-dir", dir).withReport(t, dir)
	require.Equal(t, 0, res.code, res.stdout)
	v := verdicts(res.report)
	for _, id := range []string{"K-2.1", "K-2.2", "K-2.3", "K-3.1", "K-3.2", "K-4.1", "K-5.1"} {
		assert.Positive(t, v[id][reports.Pass], "%s has no passing case", id)
		assert.Zero(t, v[id][reports.Fail], id)
	}
	assert.Positive(t, v["K-2.1"][reports.Skip], "128- and 192-bit Wycheproof groups must be SKIP")
	assert.Contains(t, res.stdout, "FAIL 0")
	assert.FileExists(t, filepath.Join(dir, "junit.xml"))
	assert.True(t, strings.HasPrefix(res.report.VectorDigest, "sha256:"))
	for _, c := range res.report.Checks {
		if c.Verdict == reports.Skip {
			require.NotEmpty(t, c.Reason, "a SKIP must say why: %s", c.Name)
		}
	}
}

func TestKATAdaptersPass(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"go codec behind the contract": gwcertBin + " adapter",
		"node example adapter":         nodeAdapter,
	}
	for name, cmd := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if strings.HasPrefix(cmd, "node") {
				needNode(t)
			}
			dir := t.TempDir()
			res := gwcert(t, time.Minute, "kat", "--adapter", cmd, "--report-dir", dir).withReport(t, dir)
			require.Equal(t, 0, res.code, res.stdout)
			assert.Positive(t, res.report.Summary.Pass)
			assert.Equal(t, "adapter: "+cmd, res.report.Target)
		})
	}
}

// Each broken adapter reproduces a real client mistake; the suite must
// name it with a FAIL of the check that catches it.
func TestKATCatchesBrokenAdapters(t *testing.T) {
	t.Parallel()
	needNode(t)
	cases := []struct {
		bug    string
		failed []string // check ids that must FAIL
		reason string   // a FAIL reason that must appear
	}{
		{"zero-pad", []string{"K-2.1"}, "sealed to a different token"},
		{"url-safe", []string{"K-2.1", "K-2.3"}, "accepted an invalid input ([UrlSafe])"},
		{"iv-appended", []string{"K-2.1", "K-2.2"}, "sealed to a different token"},
		{"no-pad-check", []string{"K-2.1"}, "accepted an invalid input ([ZeroPadding BadPadding])"},
		{"truncate-tag", []string{"K-2.2"}, "sealed to a different token"},
		{"lenient-base64", []string{"K-2.3"}, "accepted an invalid input ([LineWrappedLf])"},
	}
	for _, tc := range cases {
		t.Run(tc.bug, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			res := gwcert(t, time.Minute, "kat", "--adapter", nodeAdapter+" --bug="+tc.bug,
				"--report-dir", dir).withReport(t, dir)
			assert.Equal(t, 1, res.code, "a failed check exits 1")
			v := verdicts(res.report)
			for _, id := range tc.failed {
				assert.Positive(t, v[id][reports.Fail], "%s should FAIL for --bug=%s", id, tc.bug)
			}
			var reasons []string
			for _, c := range res.report.Checks {
				if c.Verdict == reports.Fail {
					reasons = append(reasons, c.Reason)
				}
			}
			assert.Contains(t, strings.Join(reasons, "\n"), tc.reason)
		})
	}
}

// An adapter that never answers, or dies, is reported with evidence and
// gwcert finishes on its own.
func TestKATAdapterThatHangsOrDies(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ cmd, says string }{
		"hangs": {"sleep 600", "no answer"},
		"dies":  {"sh -c 'read line; exit 3'", "exited"},
		"lies":  {"sh -c 'while read line; do echo not-json; done'", "not a JSON object"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			res := gwcert(t, time.Minute, "kat", "--adapter", tc.cmd, "--adapter-timeout", "1s",
				"--vectors", "vectors/gwcert/token_encoding_test.json", "--report-dir", dir).withReport(t, dir)
			assert.Equal(t, 1, res.code)
			assert.Zero(t, res.report.Summary.Pass)
			assert.Positive(t, res.report.Summary.Fail)
			joined := dumpJSON(res.report.Checks)
			assert.Contains(t, joined, tc.says)
		})
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown command":  {[]string{"frobnicate"}, `unknown command "frobnicate"`},
		"unknown flag":     {[]string{"kat", "--bogus"}, "flag provided but not defined: -bogus"},
		"missing vectors":  {[]string{"kat", "--vectors", "no/such/file.json"}, "no/such/file.json"},
		"stray argument":   {[]string{"kat", "extra"}, "unexpected arguments: extra"},
		"no command given": {nil, "no command given"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := gwcert(t, 30*time.Second, tc.args...)
			assert.Equal(t, 2, res.code)
			assert.Contains(t, res.stderr, tc.want)
			assert.NotContains(t, res.stderr, "goroutine", "no stack traces for users")
		})
	}
}

func TestBadVectorFileIsAUsageError(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"algorithm":"x","numberOfTests":3,"testGroups":[]}`), 0o644))
	res := gwcert(t, 30*time.Second, "kat", "--vectors", bad)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "bad.json")
}

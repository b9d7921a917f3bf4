package main

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/syncbuf"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
	"github.com/gwcert/gwcert/suites/gateway/brokengw"
)

// slowSenderWait is how long conform runs against a gateway in another
// process wait for it to cut off a body that never ends: well past the 1 s
// of brokengw's servers and of the mocks started here.
const slowSenderWait = "6s"

// conformTimeout bounds one conform run; a run takes a few seconds.
const conformTimeout = 2 * time.Minute

// The bundled mock, in-process, passes every gateway and security check;
// only the replay and timing observations may be other than PASS.
func TestConformMockInProcessPasses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := gwcert(t, conformTimeout, "conform", "--report-dir", dir).withReport(t, dir)
	require.Equal(t, 0, res.code, res.stdout+res.stderr)
	assert.Zero(t, res.report.Summary.Fail)
	v := verdicts(res.report)
	for _, def := range checks.All {
		if strings.HasPrefix(def.ID, "G-") || strings.HasPrefix(def.ID, "S-") {
			assert.Contains(t, v, def.ID, "%s is missing from the report", def.ID)
		}
	}
	observations := map[string]bool{"G-6.7": true, "S-7.2": true}
	for _, c := range res.report.Checks {
		switch {
		case c.Verdict == reports.Pass:
		case observations[c.ID] && (c.Verdict == reports.Warn || c.Verdict == reports.Info):
		default:
			t.Errorf("%s %s: %s (%s)", c.ID, c.Name, c.Verdict, c.Reason)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	assertNoSecretPart(t, string(raw))
}

// assertNoSecretPart fails if text holds any 8 consecutive characters of
// a mock client's key (base64 or hex), client secret or pass key. A pass
// key masked to its first four characters is allowed.
func assertNoSecretPart(t *testing.T, text string) {
	t.Helper()
	for _, found := range secretParts(text) {
		t.Errorf("the text holds part of a secret: %s", found)
	}
}

// secretParts names each secret of the mock's clients of which text holds
// 8 consecutive characters, without quoting the secret.
func secretParts(text string) []string {
	var found []string
	for name, c := range profiles.MockCredentials {
		key, _ := base64.StdEncoding.DecodeString(c.Key)
		forms := map[string]string{"key (base64)": c.Key, "key (hex)": hex.EncodeToString(key),
			"key (raw)": string(key), "client secret": c.ClientSecret, "pass key": c.PassKey}
		for what, sec := range forms {
			for i := 0; i+8 <= len(sec); i++ {
				if strings.Contains(text, sec[i:i+8]) {
					found = append(found, fmt.Sprintf("client %s's %s at offset %d", name, what, i))
					break
				}
			}
		}
	}
	return found
}

// The README's two-terminal flow: `gwcert mock` prints export lines, a
// second shell sources them and runs `gwcert conform --target`.
func TestConformAgainstRunningMock(t *testing.T) {
	t.Parallel()
	// A short body timeout keeps the slow-sender check (S-7.6) quick.
	mock := startMock(t, "--body-timeout", "1s")
	env := readExports(t, &mock.out, mockVariables())
	base := envValue(env, "GWCERT_BASE_URL")
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), "base URL %q", base)

	dir := t.TempDir()
	res := gwcertEnv(t, conformTimeout, env, "conform", "--target", base, "--report-dir", dir,
		"--timing-probes", "20", "--slow-sender-wait", slowSenderWait).withReport(t, dir)
	require.Equal(t, 0, res.code, res.stdout+res.stderr)
	assert.Equal(t, base, res.report.Target)
	assert.Zero(t, verdicts(res.report)["G-6.3"][reports.Skip],
		"the peer's variables were exported, so the cross-client cases must run")
	slow := checksOf(res.report, "S-7.6")
	require.Len(t, slow, 1)
	assert.Equal(t, reports.Pass, slow[0].Verdict)
	assert.Contains(t, slow[0].Reason, "refused with 400 after 1")

	require.NoError(t, mock.cmd.Process.Signal(os.Interrupt))
	select {
	case <-mock.exited:
		require.NoError(t, mock.err, "the mock must exit 0 on SIGINT; stderr:\n%s",
			mock.errOut.String())
	case <-time.After(5 * time.Second):
		t.Fatal("the mock did not stop within 5s of SIGINT")
	}
	logs := mock.errOut.String()
	assert.Contains(t, logs, "gwcert mock: stopped")
	for name, c := range profiles.MockCredentials {
		assert.NotContains(t, logs, c.ClientSecret, "the mock logged %s's client secret", name)
		assert.NotContains(t, logs, c.Key, "the mock logged %s's key", name)
	}
}

// Each deliberately broken gateway must be named by the checks its
// fixture lists, with their verdicts, and by no other FAIL. The timing
// probe's fixtures are left to TestConformNamesTimingOracle.
func TestConformNamesEachBrokenGateway(t *testing.T) {
	t.Parallel()
	for _, f := range brokengw.All() {
		if timingFixture(f) {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			checkNamed(t, f)
		})
	}
}

// A timing oracle shows only where its gap stands far out of the noise
// of a loaded machine, so its fixtures run one at a time, not in parallel
// with this package's other tests, and with few but slow probes.
func TestConformNamesTimingOracle(t *testing.T) {
	n := 0
	for _, f := range brokengw.All() {
		if timingFixture(f) {
			t.Run(f.Name, func(t *testing.T) { checkNamed(t, f, "--timing-probes", "10") })
			n++
		}
	}
	require.Positive(t, n, "no fixture exercises the timing probe")
}

// timingFixture reports whether f is judged by the timing probe.
func timingFixture(f brokengw.Fixture) bool {
	_, ok := f.Want["S-7.2"]
	return ok
}

// checkNamed serves f, runs conform against it with args added and
// requires the fixture's verdicts, no FAIL it does not list, and the
// exit code.
func checkNamed(t *testing.T, f brokengw.Fixture, args ...string) {
	t.Helper()
	res := conformAgainst(t, serveFixture(t, f), args...)
	requireNamed(t, res.report, f.Want)
	for _, c := range res.report.Checks {
		if c.Verdict == reports.Fail && f.Want[c.ID] != reports.Fail {
			t.Errorf("%s fails a check its fixture does not list: %s %s: %s",
				f.Name, c.ID, c.Name, c.Reason)
		}
	}
	assert.Equal(t, exitFor(f.Want), res.code, "breaks: %s\n%s", f.Breaks, res.stdout)
}

// With --strict a violated SHOULD fails the run.
func TestConformStrictTurnsWarnIntoFail(t *testing.T) {
	t.Parallel()
	f := fixture(t, "reused-response-iv")
	require.Equal(t, reports.Warn, f.Want["S-7.3"], "the fixture must break a SHOULD")
	res := conformAgainst(t, serveFixture(t, f), "--strict")
	assert.Equal(t, 1, res.code, res.stdout)
	requireNamed(t, res.report, map[string]reports.Verdict{"S-7.3": reports.Fail})
}

// An expect-fail file turns a listed failure into a WARN, fails a stale
// entry (an id none of whose cases failed), and is refused whole when
// malformed. An id that fails in only some of its cases keeps its
// passing cases PASS.
func TestConformExpectFail(t *testing.T) {
	t.Parallel()
	const why = "plain success answers until release 2.4"
	t.Run("listed failure warns", func(t *testing.T) {
		t.Parallel()
		list := writeTempFile(t, "expect-fail.txt", "# known defects\n\nG-5.1 "+why+"\n")
		url := serveFixture(t, fixture(t, "plaintext-success"))
		res := conformAgainst(t, url, "--expect-fail", list)
		assert.Equal(t, 0, res.code, res.stdout)
		requireNamed(t, res.report, map[string]reports.Verdict{"G-5.1": reports.Warn})
		for _, c := range checksOf(res.report, "G-5.1") {
			assert.Equal(t, reports.Warn, c.Verdict, c.Name)
			assert.Contains(t, c.Reason, why, c.Name)
		}
	})
	t.Run("stale entry fails", func(t *testing.T) {
		t.Parallel()
		list := writeTempFile(t, "expect-fail.txt",
			"G-5.1 "+why+"\nG-6.10 unknown routes answered 200\n")
		url := serveFixture(t, fixture(t, "plaintext-success"))
		res := conformAgainst(t, url, "--expect-fail", list)
		assert.Equal(t, 1, res.code, res.stdout)
		requireNamed(t, res.report, map[string]reports.Verdict{"G-6.10": reports.Fail})
		var stale int
		for _, c := range checksOf(res.report, "G-6.10") {
			if c.Verdict == reports.Fail {
				assert.Contains(t, c.Reason, "stale entry", c.Name)
				stale++
			}
		}
		assert.Equal(t, 1, stale, "one FAIL for the stale entry")
	})
	t.Run("partly failing id", func(t *testing.T) {
		t.Parallel()
		list := writeTempFile(t, "expect-fail.txt", "G-6.5 stale epochs accepted until 2.5\n")
		url := serveFixture(t, fixture(t, "stale-epoch"))
		res := conformAgainst(t, url, "--expect-fail", list)
		assert.Equal(t, 0, res.code, res.stdout)
		v := verdicts(res.report)["G-6.5"]
		assert.Positive(t, v[reports.Warn], "the failing cases are expected failures")
		assert.Positive(t, v[reports.Pass], "the passing cases stay PASS")
		assert.Zero(t, v[reports.Fail])
	})
	t.Run("malformed file is a usage error", func(t *testing.T) {
		t.Parallel()
		list := writeTempFile(t, "expect-fail.txt", "G-9.9 no such check\nG-5.1\n")
		dir := t.TempDir()
		res := gwcert(t, conformTimeout, "conform", "--expect-fail", list, "--report-dir", dir)
		assert.Equal(t, 2, res.code, res.stderr)
		assert.Contains(t, res.stderr, list+":1:")
		assert.Contains(t, res.stderr, "G-9.9")
		assert.Contains(t, res.stderr, list+":2:")
		assert.NoFileExists(t, filepath.Join(dir, "report.json"), "nothing may run")
	})
}

// A profile that claims replay detection is judged on it: a gateway
// without it warns, one with it passes.
func TestConformProfileClaimsReplayDetection(t *testing.T) {
	t.Parallel()
	profile := writeTempFile(t, "replay.yaml", "name: replay-claimed\nreplay_detection: true\n")
	cases := []struct {
		name string
		tune func(*mockgateway.Config)
		want reports.Verdict
	}{
		{"mock without replay detection", nil, reports.Warn},
		{"mock with replay detection", func(c *mockgateway.Config) { c.ReplayDetection = true },
			reports.Pass},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := serveFixture(t, brokengw.Fixture{Name: tc.name, Tune: tc.tune})
			res := conformAgainst(t, url, "--profile", profile)
			assert.Equal(t, 0, res.code, res.stdout)
			assert.Equal(t, "replay-claimed", res.report.Profile)
			got := checksOf(res.report, "G-6.7")
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, got[0].Verdict, got[0].Reason)
		})
	}
}

// fixture returns the named fixture of brokengw.
func fixture(t *testing.T, name string) brokengw.Fixture {
	t.Helper()
	f, ok := brokengw.ByName(name)
	require.True(t, ok, "no fixture %q", name)
	return f
}

// serveFixture serves f in the test process until the test ends and
// returns its URL.
func serveFixture(t *testing.T, f brokengw.Fixture) string {
	t.Helper()
	srv, err := brokengw.Serve(f)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv.URL
}

// conformAgainst runs `gwcert conform` against url with the mock's
// credentials in the environment and a short timing probe, and reads
// its report.
func conformAgainst(t *testing.T, url string, args ...string) result {
	t.Helper()
	dir := t.TempDir()
	args = append([]string{"conform", "--target", url, "--report-dir", dir,
		"--timing-probes", "20", "--slow-sender-wait", slowSenderWait}, args...)
	return gwcertEnv(t, conformTimeout, mockCredentialEnv(), args...).withReport(t, dir)
}

// requireNamed requires, for each id of want, a check with that id and
// verdict in rep.
func requireNamed(t *testing.T, rep *reports.Report, want map[string]reports.Verdict) {
	t.Helper()
	v := verdicts(rep)
	for id, verdict := range want {
		if v[id][verdict] == 0 {
			t.Errorf("no %s with verdict %s; got:\n%s", id, verdict, dumpJSON(checksOf(rep, id)))
		}
	}
}

// exitFor is the exit code a run giving want ends with.
func exitFor(want map[string]reports.Verdict) int {
	for _, v := range want {
		if v == reports.Fail {
			return 1
		}
	}
	return 0
}

// checksOf returns the checks of rep with id.
func checksOf(rep *reports.Report, id string) []reports.Check {
	var out []reports.Check
	for _, c := range rep.Checks {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}

// mockCredentialEnv returns the mock's public test credentials as
// environment entries, named as the bundled profile names them.
func mockCredentialEnv() []string {
	var env []string
	for name, ref := range profiles.Default().Clients {
		c := profiles.MockCredentials[name]
		env = append(env, ref.PassKeyEnv+"="+c.PassKey, ref.ClientIDEnv+"="+c.ClientID,
			ref.ClientSecretEnv+"="+c.ClientSecret, ref.KeyEnv+"="+c.Key)
	}
	return env
}

// mockVariables lists the variables `gwcert mock` exports.
func mockVariables() []string {
	names := []string{"GWCERT_BASE_URL", "GWCERT_SCHEME"}
	for _, ref := range profiles.Default().Clients {
		names = append(names, ref.PassKeyEnv, ref.ClientIDEnv, ref.ClientSecretEnv, ref.KeyEnv)
	}
	return names
}

// readExports waits until out holds an export line for every name and
// returns them as environment entries.
func readExports(t *testing.T, out *syncbuf.Buffer, names []string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		env := exports(out.String())
		missing := 0
		for _, n := range names {
			if envValue(env, n) == "" {
				missing++
			}
		}
		if missing == 0 {
			return env
		}
		require.True(t, time.Now().Before(deadline),
			"gwcert mock printed %d of %d variables within 10s:\n%s", len(names)-missing,
			len(names), out.String())
		time.Sleep(20 * time.Millisecond)
	}
}

// exports returns the NAME=VALUE of every `export NAME=VALUE` line.
func exports(text string) []string {
	var env []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok && strings.Contains(kv, "=") {
			env = append(env, kv)
		}
	}
	return env
}

// envValue returns the value of name in env, or "".
func envValue(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// writeTempFile writes text to a file called name in a fresh temporary
// folder and returns its path.
func writeTempFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

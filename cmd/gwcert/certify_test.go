package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
)

const nodeDriver = "node examples/drivers/node/driver.js"

// needCertify skips when the binary has no certify command yet: the
// command table in main.go registers it.
func needCertify(t *testing.T) {
	t.Helper()
	if res := gwcert(t, time.Minute, "help"); !strings.Contains(res.stdout, "certify") {
		t.Skip("gwcert has no certify command: runCertify is not in main.go's command table")
	}
}

// certifyRun is one finished `gwcert certify`.
type certifyRun struct {
	result
	dir  string
	cert string // certificate.html
}

// certify runs `gwcert certify` with a report folder of its own.
func certify(t *testing.T, dir, driver, timeout string) certifyRun {
	t.Helper()
	res := gwcert(t, 3*time.Minute, "certify", "--driver", driver, "--timeout", timeout,
		"--report-dir", dir)
	run := certifyRun{result: res, dir: dir}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err != nil {
		return run
	}
	run.result = res.withReport(t, dir)
	cert, err := os.ReadFile(filepath.Join(dir, reports.CertificateFile))
	require.NoError(t, err, "stdout:\n%s", res.stdout)
	run.cert = string(cert)
	return run
}

// check returns the report's check with id.
func (r certifyRun) check(t *testing.T, id string) reports.Check {
	t.Helper()
	require.NotNil(t, r.report, "no report; stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	for _, c := range r.report.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("the report has no check %s:\n%s", id, dumpJSON(r.report.Checks))
	return reports.Check{}
}

func clientCheckIDs() []string {
	var ids []string
	for _, d := range checks.All {
		if strings.HasPrefix(d.ID, "C-") {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

func TestCertifyNodeDriverPasses(t *testing.T) {
	t.Parallel()
	needNode(t)
	needCertify(t)
	run := certify(t, t.TempDir(), nodeDriver, "60s")
	require.Equal(t, 0, run.code, "stdout:\n%s\nstderr:\n%s", run.stdout, run.stderr)

	for _, id := range clientCheckIDs() {
		assert.Equal(t, reports.Pass, run.check(t, id).Verdict, id)
	}
	for _, name := range []string{"report.json", "junit.xml", reports.CertificateFile} {
		assert.FileExists(t, filepath.Join(run.dir, name))
	}
	assert.Equal(t, "client", run.report.Suite)
	assert.Equal(t, "driver: "+nodeDriver, run.report.Target)
	assert.Equal(t, "mock", run.report.Profile)
	assert.True(t, strings.HasPrefix(run.report.VectorDigest, "sha256:"))
	assert.Contains(t, run.stdout, "certificate: "+filepath.Join(run.dir, reports.CertificateFile))

	assert.Contains(t, run.cert, `<div class="standing pass">CERTIFIED</div>`)
	assert.Contains(t, run.cert, nodeDriver)
	assert.Contains(t, run.cert, run.report.VectorDigest)
	file, err := os.ReadFile(filepath.Join(run.dir, "report.json"))
	require.NoError(t, err)
	sum := sha256.Sum256(file)
	assert.Contains(t, run.cert, "sha256:"+hex.EncodeToString(sum[:]),
		"the certificate must carry the SHA-256 of report.json")
	assertNoSecrets(t, run)
}

// mistakeCase is a broken driver and the FAIL it must earn.
type mistakeCase struct {
	name    string
	driver  string
	timeout string
	failed  string // the check id that must FAIL
	reason  string // words the FAIL's reason must hold
}

// mistakeCases are the Node driver's partner mistakes and drivers that
// break the contract in the crudest ways.
func mistakeCases() []mistakeCase {
	node := func(m, id, reason string) mistakeCase {
		return mistakeCase{name: m, driver: nodeDriver + " --mistake=" + m, timeout: "60s",
			failed: id, reason: reason}
	}
	return []mistakeCase{
		node("fixed-iv", "C-7.1", "fixed IV"),
		node("zero-iv", "C-7.1", "all-zero IV"),
		node("plaintext-header", "C-3.1", "sent unencrypted"),
		node("millis-epoch", "C-3.2", "milliseconds"),
		node("client-id-case", "C-3.1", `"Client_id" must be written "client_id"`),
		node("url-safe", "C-2.1", "URL-safe character"),
		node("line-wrapped", "C-2.1", "line feed"),
		node("decrypt-errors", "C-5.2", "never decrypted"),
		node("reuse-header", "C-3.3", "same header_secrets"),
		node("no-content-type", "C-4.2", "no Content-Type"),
		node("stale-epoch", "C-3.2", "s old (epoch_window 300 s)"),
		node("number-epoch", "C-3.1", "epoch is a JSON number"),
		node("wrong-payload", "C-4.3", `$.channel: unexpected member (got "partner-app")`),
		node("misreport-body", "C-5.1", "not the opened ResponseData"),
		node("crash-after=3", "C-0.1", "ended early"),
		{name: "hang-after=3", driver: nodeDriver + " --mistake=hang-after=3", timeout: "5s",
			failed: "C-0.1", reason: "hangs: no answer to step s04 within the session timeout of 5s"},
		node("garbage", "C-0.1", "garbage lines"),
		{name: "exits at once", driver: "true", timeout: "60s", failed: "C-0.1",
			reason: "before answering step s01"},
		{name: "not a program", driver: "gwcert-no-such-driver", timeout: "60s", failed: "C-0.1",
			reason: "exited with status 127"},
		{name: "never answers", driver: "sleep 30", timeout: "5s", failed: "C-0.1",
			reason: "no answer to step s01"},
		{name: "prints no JSON", driver: "yes not-json", timeout: "5s", failed: "C-0.1",
			reason: "garbage lines"},
	}
}

// Each broken driver must fail certification with exit status 1, a
// FAIL of the check that catches its mistake, and a certificate that
// says NOT CERTIFIED; gwcert never hangs on it. The cases run at once,
// as processes, whatever -parallel says: most of their time is waiting.
func TestCertifyCatchesDriverMistakes(t *testing.T) {
	t.Parallel()
	needNode(t)
	needCertify(t)
	cases := mistakeCases()
	runs := make([]certifyRun, len(cases))
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	for i, tc := range cases {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			runs[i] = certify(t, t.TempDir(), tc.driver, tc.timeout)
		})
	}
	wg.Wait()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := runs[i]
			require.Equal(t, 1, run.code, "stdout:\n%s\nstderr:\n%s", run.stdout, run.stderr)
			c := run.check(t, tc.failed)
			assert.Equal(t, reports.Fail, c.Verdict, "%s: %s", tc.failed, c.Reason)
			assert.Contains(t, c.Reason, tc.reason)
			assert.Contains(t, run.cert, `<div class="standing fail">NOT CERTIFIED</div>`)
			assert.Contains(t, run.stdout, "FAIL "+tc.failed)
			assertNoSecrets(t, run)
		})
	}
}

// A driver that died is described with its exit and the last lines of
// its stderr, with any secret it printed replaced.
func TestCertifyShowsHowTheDriverEnded(t *testing.T) {
	t.Parallel()
	needCertify(t)
	driver := `sh -c 'read line; ` +
		`echo "leak: $GWCERT_CLIENT_SECRET $GWCERT_KEY $GWCERT_PASS_KEY" >&2; ` +
		`echo "debug $GWCERT_KEY"; exit 4'`
	run := certify(t, t.TempDir(), driver, "60s")
	require.Equal(t, 1, run.code, run.stdout)
	c := run.check(t, "C-0.1")
	assert.Equal(t, reports.Fail, c.Verdict)
	assert.Contains(t, c.Reason, `printed 1 garbage line that is not a JSON object`)
	require.NotNil(t, c.Evidence)
	assert.Contains(t, c.Evidence.Actual, "exited with status 4")
	assert.Contains(t, c.Evidence.Actual, "0 of 24 steps answered")
	assert.Contains(t, c.Evidence.Got, "leak: [redacted] [redacted] [redacted]")
	for _, id := range clientCheckIDs() {
		if id != "C-0.1" {
			assert.Equal(t, reports.Skip, run.check(t, id).Verdict, "%s: nothing to judge", id)
		}
	}
	assertNoSecrets(t, run)
}

func TestCertifyUsageErrors(t *testing.T) {
	t.Parallel()
	needCertify(t)
	res := gwcert(t, time.Minute, "certify", "--timeout", "0s", "--profile", "no/such/profile.yaml")
	assert.Equal(t, 2, res.code)
	for _, want := range []string{"driver: a command is required", "timeout: must be more than zero",
		"profile: read profile"} {
		assert.Contains(t, res.stderr, want, "every problem is reported at once")
	}
}

// assertNoSecrets checks that nothing gwcert printed or wrote holds the
// mock client's key (as handed over, in hex or in either base64
// alphabet), its client secret or its whole pass key.
func assertNoSecrets(t *testing.T, run certifyRun) {
	t.Helper()
	c := profiles.MockCredentials[profiles.Primary]
	key, err := base64.StdEncoding.DecodeString(c.Key)
	require.NoError(t, err)
	secrets := map[string]string{
		"key": c.Key, "key hex": hex.EncodeToString(key),
		"key HEX":        strings.ToUpper(hex.EncodeToString(key)),
		"key url base64": base64.RawURLEncoding.EncodeToString(key),
		"client secret":  c.ClientSecret, "pass key": c.PassKey,
	}
	texts := map[string]string{"stdout": run.stdout, "stderr": run.stderr}
	entries, err := os.ReadDir(run.dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(run.dir, e.Name()))
		require.NoError(t, err)
		texts[e.Name()] = string(b)
	}
	for where, text := range texts {
		for name, secret := range secrets {
			assert.NotContains(t, text, secret, "%s holds the %s", where, name)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"go.yaml.in/yaml/v3"

	"github.com/gwcert/gwcert/load"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// loadMetrics decodes the load member of a report.
func loadMetrics(t *testing.T, rep *reports.Report) load.Metrics {
	t.Helper()
	var m load.Metrics
	require.NoError(t, json.Unmarshal(rep.Load, &m), "load member: %s", rep.Load)
	return m
}

// decodeLoadResults reads a Vegeta results file with Vegeta's own decoder.
func decodeLoadResults(t *testing.T, path string) []vegeta.Result {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	dec := vegeta.NewDecoder(f)
	var out []vegeta.Result
	for {
		var r vegeta.Result
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, r)
	}
}

// loadProgressLine is a progress line of gwcert load on stderr.
var loadProgressLine = regexp.MustCompile(`(?m)^gwcert load +\d+s  sent \d+  rate [\d.]+/s  ` +
	`p50 \S+  p99 \S+  success [\d.]+%  errors: .+$`)

func TestLoadAgainstTheBundledMock(t *testing.T) {
	dir := t.TempDir()
	res := gwcert(t, 60*time.Second, "load", "--rate", "200", "--duration", "3s",
		"--report-dir", dir).withReport(t, dir)
	require.Equal(t, exitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)

	assert.Equal(t, "load", res.report.Suite)
	assert.Contains(t, res.report.Target, "(bundled mock)")
	m := loadMetrics(t, res.report)
	assert.Equal(t, 1.0, m.Success)
	assert.InDelta(t, 600, float64(m.Requests), 30, "3 s at 200/s")
	assert.InDelta(t, 200, m.Rate, 60, "loose: a busy machine sends the last ones late")
	assert.Equal(t, map[string]int{"200": int(m.Requests)}, m.StatusCodes)
	assert.Len(t, m.Routes, 2)
	require.NotNil(t, m.Settings)
	require.NotNil(t, m.Settings.Rate)
	assert.Equal(t, 200.0, *m.Settings.Rate)

	results := decodeLoadResults(t, filepath.Join(dir, "results.bin"))
	assert.Len(t, results, int(m.Requests))
	for _, r := range results {
		require.Equal(t, uint16(200), r.Code)
		require.Empty(t, r.Error)
	}
	plotHTML, err := os.ReadFile(filepath.Join(dir, "plot.html"))
	require.NoError(t, err)
	assert.Contains(t, string(plotHTML), "<!doctype html>")
	assert.Contains(t, string(plotHTML), `"load: OK"`)
	assert.GreaterOrEqual(t, len(loadProgressLine.FindAllString(res.stderr, -1)), 2, res.stderr)
	assert.Contains(t, res.stdout, "success 100.00%")
}

func TestLoadUsageErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--rate", "-5"}, "--rate: -5: must be 0"},
		{[]string{"--rate", "10", "--ramp", "1:2"}, "--rate and --ramp exclude each other"},
		{[]string{"--ramp", "10"}, "-ramp: want two rates"},
		{[]string{"--ramp", "1:2", "--duration", "0"}, "--ramp: needs a duration"},
		{[]string{"--shard", "3/3"}, "-shard: \"3/3\": index 3"},
		{[]string{"--start-at", "tomorrow"}, "-start-at: want an RFC 3339 time"},
		{[]string{"--workers", "0"}, "--workers: must be at least 1"},
		{[]string{"--min-success", "101"}, "--min-success 101"},
		{[]string{"--clients", "nobody"}, `--clients: the target has no client "nobody"`},
		{[]string{"merge"}, "no results file given"},
		{[]string{"merge", filepath.Join(dir, "none-*.bin")}, "no results file matches"},
	}
	for _, c := range cases {
		res := gwcert(t, 30*time.Second, append([]string{"load"}, c.args...)...)
		assert.Equal(t, exitUsage, res.code, "%v: stderr %s", c.args, res.stderr)
		assert.Contains(t, res.stderr, c.want, "%v", c.args)
		assert.NotContains(t, res.stderr, "goroutine", "%v", c.args)
	}
}

// loadMock is a `gwcert mock` serving in its own process.
type loadMock struct {
	url string
	env []string // its printed export lines, as NAME=value
}

// startLoadMock starts a quiet `gwcert mock` with extra flags and reads
// the base URL and credentials it prints.
func startLoadMock(t *testing.T, flags ...string) loadMock {
	t.Helper()
	_, env := startFaultyMock(t, flags...)
	return loadMock{url: envValue(env, "GWCERT_BASE_URL"), env: env}
}

// runLoadProcess runs the binary with extra environment variables and
// returns its exit code and output; safe to call from any goroutine.
func runLoadProcess(ctx context.Context, env []string, args ...string) (int, string, error) {
	cmd := exec.CommandContext(ctx, gwcertBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), nil
	}
	return 0, out.String(), err
}

func TestLoadFailsBelowTheMinimumSuccess(t *testing.T) {
	mock := startLoadMock(t, "--error-share", "0.3")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, c := range []struct {
		min  string
		code int
	}{{"100", exitFailed}, {"20", exitOK}} {
		dir := t.TempDir()
		code, out, err := runLoadProcess(ctx, mock.env, "load", "--target", mock.url, "--rate", "100",
			"--duration", "1s", "--min-success", c.min, "--quiet", "--report-dir", dir)
		require.NoError(t, err)
		assert.Equal(t, c.code, code, "--min-success %s:\n%s", c.min, out)
		m := loadMetrics(t, result{}.withReport(t, dir).report)
		assert.Less(t, m.Success, 0.9, "about 30% of answers are 503")
		assert.Greater(t, m.Success, 0.4)
		assert.Equal(t, m.Requests-m.Successes, m.Errors["status 503"])
		assert.Equal(t, int(m.Requests-m.Successes), m.StatusCodes["503"])
	}
}

// k8sObject holds the parts of a Kubernetes object the tests read.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// k8sObjects reads the objects of a file in deploy/kubernetes by kind.
func k8sObjects(t *testing.T, name string) map[string]k8sObject {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "kubernetes", name))
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	out := map[string]k8sObject{}
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err, name)
		out[o.Kind] = o
	}
}

var k8sVar = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// expandK8sArgs replaces $(NAME) in args as Kubernetes does for a container,
// failing the test for a name env lacks.
func expandK8sArgs(t *testing.T, args []string, env map[string]string) []string {
	t.Helper()
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = k8sVar.ReplaceAllStringFunc(a, func(ref string) string {
			name := k8sVar.FindStringSubmatch(ref)[1]
			v, ok := env[name]
			require.True(t, ok, "$(%s) in %q has no value", name, a)
			return v
		})
	}
	return out
}

func TestMockSecretHoldsTheMockCredentials(t *testing.T) {
	secret := k8sObjects(t, "mock.yaml")["Secret"]
	want := map[string]string{}
	for name, ref := range profiles.Default().Clients {
		c := profiles.MockCredentials[name]
		want[ref.PassKeyEnv], want[ref.ClientIDEnv] = c.PassKey, c.ClientID
		want[ref.ClientSecretEnv], want[ref.KeyEnv] = c.ClientSecret, c.Key
	}
	assert.Equal(t, want, secret.StringData)
}

func TestLoadShardsMergeLikeTheIndexedJob(t *testing.T) {
	objs := k8sObjects(t, "load-job.yaml")
	job, settings := objs["Job"], objs["ConfigMap"].Data
	require.Equal(t, "Indexed", job.Spec.CompletionMode)
	require.Equal(t, job.Spec.Completions, job.Spec.Parallelism)
	require.Equal(t, strconv.Itoa(job.Spec.Completions), settings["SHARDS"])
	require.Equal(t, "Never", job.Spec.Template.Spec.RestartPolicy)
	shardArgs := job.Spec.Template.Spec.Containers[0].Args
	require.Contains(t, shardArgs, "--shard=$(JOB_COMPLETION_INDEX)/$(SHARDS)")
	mergeArgs := k8sObjects(t, "merge-job.yaml")["Job"].Spec.Template.Spec.Containers[0].Args

	mock := startLoadMock(t)
	results := t.TempDir()
	start := time.Now().Add(3 * time.Second).Truncate(time.Second).Add(time.Second)
	env := map[string]string{"GWCERT_BASE_URL": mock.url, "RATE": "60", "DURATION": "2s",
		"SHARDS": "3", "RESULTS_DIR": results, "START_AT": start.Format(time.RFC3339),
		"PROFILE": filepath.Join(repoRoot(t), "profiles", "mock.yaml"), "MIN_SUCCESS": "100"}
	shards := runLoadShards(t, 3, shardArgs, env, mock.env)

	var sum uint64
	var earliest []time.Time
	for i, m := range shards {
		assert.Equal(t, 1.0, m.Success, "shard %d", i)
		assert.InDelta(t, 40, float64(m.Requests), 5, "shard %d: 20/s for 2 s", i)
		assert.Equal(t, []string{"shard " + strconv.Itoa(i) + "/3"}, m.Attacks)
		file := filepath.Join(results, "results-"+strconv.Itoa(i)+".bin")
		assert.Len(t, decodeLoadResults(t, file), int(m.Requests), "shard %d's results file", i)
		assert.False(t, m.Earliest.Before(start), "shard %d started before --start-at", i)
		sum += m.Requests
		earliest = append(earliest, m.Earliest)
	}
	for _, e := range earliest {
		assert.WithinDuration(t, earliest[0], e, 500*time.Millisecond, "shards start together")
	}

	merged := filepath.Join(results, "merged")
	res := gwcert(t, 60*time.Second, expandK8sArgs(t, mergeArgs, env)...).withReport(t, merged)
	require.Equal(t, exitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	m := loadMetrics(t, res.report)
	assert.Equal(t, sum, m.Requests, "the merged count is the sum of the shards'")
	assert.Equal(t, 1.0, m.Success)
	assert.InDelta(t, 60, m.Rate, 15, "three shards of 20/s side by side")
	assert.ElementsMatch(t, []string{"shard 0/3", "shard 1/3", "shard 2/3"}, m.Attacks)
	assert.Nil(t, m.Settings)
	plotHTML, err := os.ReadFile(filepath.Join(merged, "plot.html"))
	require.NoError(t, err)
	assert.Contains(t, string(plotHTML), `"shard 2/3 (results-2.bin): OK"`)
}

// runLoadShards runs n shards with the Job's arguments expanded for each
// index, side by side, and returns the metrics of each shard's report.
func runLoadShards(t *testing.T, n int, args []string, env map[string]string,
	processEnv []string) []load.Metrics {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	type outcome struct {
		code int
		out  string
		err  error
	}
	outcomes := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		shardEnv := map[string]string{"JOB_COMPLETION_INDEX": strconv.Itoa(i)}
		for k, v := range env {
			shardEnv[k] = v
		}
		shardArgs := expandK8sArgs(t, args, shardEnv)
		wg.Go(func() {
			o := &outcomes[i]
			o.code, o.out, o.err = runLoadProcess(ctx, processEnv, shardArgs...)
		})
	}
	wg.Wait()
	var out []load.Metrics
	for i, o := range outcomes {
		require.NoError(t, o.err, "shard %d", i)
		require.Equal(t, exitOK, o.code, "shard %d:\n%s", i, o.out)
		dir := filepath.Join(env["RESULTS_DIR"], "shard-"+strconv.Itoa(i))
		out = append(out, loadMetrics(t, result{}.withReport(t, dir).report))
	}
	return out
}

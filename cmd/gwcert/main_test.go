package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
)

// gwcertBin is the gwcert binary built once for the end-to-end tests:
// Ginkgo runs one suite per process, so each suite run is a process, as
// it is for users.
var gwcertBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gwcert-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	gwcertBin = filepath.Join(dir, "gwcert")
	build := exec.Command("go", "build", "-o", gwcertBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building gwcert:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one finished gwcert process.
type result struct {
	code           int
	stdout, stderr string
	report         *reports.Report
}

// gwcert runs the binary from the repository root with a deadline, so a
// hang fails the test instead of stalling it.
func gwcert(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	return gwcertEnv(t, timeout, nil, args...)
}

// gwcertEnv is gwcert with env added to the test's environment; its
// entries win over the test's own.
func gwcertEnv(t *testing.T, timeout time.Duration, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, gwcertBin, args...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "gwcert %v did not finish within %s", args, timeout)
	res := result{stdout: out.String(), stderr: errb.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		res.code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return res
}

// withReport reads report.json from dir into r.
func (r result) withReport(t *testing.T, dir string) result {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "report.json"))
	require.NoError(t, err, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	defer f.Close()
	r.report, err = reports.ReadJSON(f)
	require.NoError(t, err)
	return r
}

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// verdicts counts the report's verdicts by check id.
func verdicts(rep *reports.Report) map[string]map[reports.Verdict]int {
	out := map[string]map[reports.Verdict]int{}
	for _, c := range rep.Checks {
		if out[c.ID] == nil {
			out[c.ID] = map[reports.Verdict]int{}
		}
		out[c.ID][c.Verdict]++
	}
	return out
}

func needNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the Node.js examples cannot run (.ci/run installs it)")
	}
	return node
}

func dumpJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

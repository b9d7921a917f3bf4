package client_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/client"
)

// drive runs a session with a short scenario unless steps are given.
func drive(t *testing.T, driver string, timeout time.Duration) *client.Session {
	t.Helper()
	s, err := client.Drive(context.Background(), client.Options{Driver: driver, Timeout: timeout})
	require.NoError(t, err)
	return s
}

// verdicts maps each check id to its judged check.
func verdicts(s *client.Session) map[string]reports.Check {
	out := map[string]reports.Check{}
	for _, c := range client.Judge(s) {
		out[c.ID] = c
	}
	return out
}

func TestReferenceDriverPassesEveryCheck(t *testing.T) {
	t.Parallel()
	s := drive(t, helperCommand(helperCorrect), time.Minute)
	steps := len(client.DefaultScenario())
	assert.Equal(t, steps, s.Fed)
	assert.Len(t, s.Calls, steps, "one call per step")
	assert.Equal(t, client.StopNone, s.End.Stop)
	assert.True(t, s.End.Exited)
	assert.Zero(t, s.End.Code)
	for _, c := range client.Judge(s) {
		assert.Equal(t, reports.Pass, c.Verdict, "%s: %s", c.ID, c.Reason)
	}
	assert.Len(t, client.Judge(s), len(client.CheckIDs))
}

// The recorder keeps at most 64 KiB of a body; the tap keeps it whole,
// so the payload near 64 KiB is judged on all its bytes.
func TestTheBulkStepIsJudgedWhole(t *testing.T) {
	t.Parallel()
	s := drive(t, helperCommand(helperCorrect), time.Minute)
	var bulk *client.Call
	for i := range s.Calls {
		if c := &s.Calls[i]; len(c.Body) > 64<<10 {
			bulk = c
		}
	}
	require.NotNil(t, bulk, "no call carried more than 64 KiB")
	assert.True(t, bulk.Recorded)
	assert.True(t, bulk.Exchange.Truncated, "the recorder cut it")
	assert.False(t, bulk.Cut, "the tap did not")
	assert.Equal(t, reports.Pass, client.JudgeCheck(s, "C-4.3").Verdict)
}

func TestAZeroIVIsCaught(t *testing.T) {
	t.Parallel()
	v := verdicts(drive(t, helperCommand(helperZeroIV), time.Minute))
	assert.Equal(t, reports.Fail, v["C-7.1"].Verdict)
	assert.Contains(t, v["C-7.1"].Reason, "fixed IV")
	assert.Contains(t, v["C-7.1"].Reason, "all-zero IV")
	for _, id := range []string{"C-0.1", "C-2.1", "C-3.1", "C-3.2", "C-4.1", "C-4.2", "C-4.3",
		"C-5.1", "C-5.2"} {
		assert.Equal(t, reports.Pass, v[id].Verdict, "%s: %s", id, v[id].Reason)
	}
}

// A driver that never answers is killed at the timeout, and so is what
// it started.
func TestAHangingDriverIsKilledWithItsChildren(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	started := time.Now()
	s := drive(t, "sh -c 'sleep 60 & echo $! > "+pidFile+"; wait'", 2*time.Second)
	assert.Less(t, time.Since(started), 15*time.Second, "gwcert must not wait for the driver")
	assert.Equal(t, client.StopTimeout, s.End.Stop)
	assert.Equal(t, 0, s.End.StopStep)
	assert.NotEmpty(t, s.End.Killed)
	c := client.JudgeCheck(s, "C-0.1")
	assert.Equal(t, reports.Fail, c.Verdict)
	assert.Contains(t, c.Reason, "the driver hangs: no answer to step s01")

	b, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	assert.Eventually(t, func() bool { return !running(pid) }, 5*time.Second, 50*time.Millisecond,
		"the driver's child %d outlived it", pid)
}

// running reports whether process pid exists and is not a zombie.
func running(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

// A driver that answers out of order, or without a call, is named for
// both.
func TestAnswersWithoutCallsOrOrder(t *testing.T) {
	t.Parallel()
	s := drive(t, `sh -c 'while read l; do echo "{\"step\":\"x\",\"status\":200,\"body\":{}}"; done'`,
		time.Minute)
	v := verdicts(s)
	assert.Equal(t, reports.Fail, v["C-0.1"].Verdict)
	assert.Contains(t, v["C-0.1"].Reason, `answers step "x" where "s01" was asked`)
	assert.Equal(t, reports.Fail, v["C-4.3"].Verdict)
	assert.Contains(t, v["C-4.3"].Reason, "no call reached the gateway")
	assert.Empty(t, s.Calls)
}

// A driver that exits 0 before answering is an early end, not a pass.
func TestAnEarlyExitIsReported(t *testing.T) {
	t.Parallel()
	s := drive(t, "sh -c 'read line; echo not json; exit 0'", time.Minute)
	assert.Equal(t, client.StopEOF, s.End.Stop)
	assert.Equal(t, 1, s.GarbageCount)
	c := client.JudgeCheck(s, "C-0.1")
	assert.Equal(t, reports.Fail, c.Verdict)
	assert.Contains(t, c.Evidence.Actual, "the driver ended early: it closed its output before "+
		"answering step s01 (0 of 24 steps answered) and exited with status 0")
}

func TestDriveRefusesABadScenario(t *testing.T) {
	_, err := client.Drive(context.Background(), client.Options{Driver: "true",
		Steps: []client.Step{{ID: "s1", Method: "POST", Path: "/api/echo", Status: 500}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "payload is not JSON")
}

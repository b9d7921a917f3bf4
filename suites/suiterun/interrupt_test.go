package suiterun

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/syncbuf"
	"github.com/gwcert/gwcert/reports"
)

// helperDirEnv names the variable that makes this test binary run a small
// suite through [Run], writing its report into the folder it names,
// instead of running the tests: Ginkgo runs one suite per process.
const helperDirEnv = "GWCERT_SUITERUN_INTERRUPT_DIR"

// What the helper suite prints at each stage, and the file its OnReport
// hook leaves once it has finished.
const (
	helperWaiting   = "helper: spec waiting for a signal"
	helperReporting = "helper: report node at work"
	helperFinished  = "hook-finished"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperDirEnv); dir != "" {
		os.Exit(runInterruptedSuite(dir))
	}
	os.Exit(m.Run())
}

// runInterruptedSuite runs one passing spec and one that waits to be
// interrupted. Its OnReport hook holds the report node until a second
// SIGINT has arrived, then works a while longer, as writing a
// certificate does, and leaves a marker file when it is done. It
// returns the exit status: 0 when Run returned a report.
func runInterruptedSuite(dir string) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt)
	Describe("an interrupted run", Ordered, func() {
		It("passes", Label("G-4.1"), func() {
			Conclude(reports.Check{ID: "G-4.1", Name: "passes", Verdict: reports.Pass})
		})
		It("waits for the signal", Label("G-4.2"), func(ctx SpecContext) {
			fmt.Println(helperWaiting)
			<-ctx.Done()
		})
	})
	hook := func(*reports.Report) {
		fmt.Println(helperReporting)
		for range 2 {
			select {
			case <-sigs:
			case <-time.After(10 * time.Second):
				return
			}
		}
		// Long enough for Ginkgo to have acted on the second signal, which
		// includes writing a progress report with every goroutine.
		time.Sleep(2 * time.Second)
		marker := filepath.Join(dir, helperFinished)
		if err := os.WriteFile(marker, []byte("done\n"), 0o644); err != nil {
			fmt.Println("helper:", err)
		}
	}
	suiteCfg, reporterCfg := GinkgoConfiguration()
	reporterCfg.NoColor = true
	opts := Options{Suite: "gateway", Target: "helper", ReportDir: dir, OnReport: hook}
	if Run(opts, suiteCfg, reporterCfg) == nil {
		fmt.Println("helper: Run returned no report")
		return 3
	}
	return 0
}

// A second SIGINT that arrives while the report node is still at work
// (here an OnReport hook, as certify's certificate writer is) must not
// make Ginkgo abandon the node: the run waits for it to finish, and the
// report it wrote is complete.
func TestSecondInterruptWaitsForTheReportNode(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	var out syncbuf.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	waitForLine(t, &out, helperWaiting)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	waitForLine(t, &out, helperReporting)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-exited:
		require.NoError(t, err, "the helper must end with a report:\n%s", out.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("the helper did not end within 20 s of the second SIGINT:\n%s", out.String())
	}

	assert.FileExists(t, filepath.Join(dir, helperFinished),
		"the report node was abandoned before its hook finished:\n%s", out.String())
	f, err := os.Open(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	defer f.Close()
	rep, err := reports.ReadJSON(f)
	require.NoError(t, err)
	assert.True(t, rep.Interrupted)
	assert.Equal(t, reports.Summary{Pass: 1, Fail: 1}, rep.Summary,
		"the passed spec and the interrupted one")
}

// waitForLine waits up to 10 s for out to hold text.
func waitForLine(t *testing.T, out *syncbuf.Buffer, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), text) {
		require.True(t, time.Now().Before(deadline), "no %q within 10 s:\n%s", text, out.String())
		time.Sleep(10 * time.Millisecond)
	}
}

package main

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/syncbuf"
)

// gwcertProcess is the gwcert binary running in the background, its
// output gathered as it comes.
type gwcertProcess struct {
	cmd         *exec.Cmd
	out, errOut syncbuf.Buffer
	exited      chan struct{} // closed once Wait has returned
	err         error         // what Wait returned; read after exited
}

// startGwcert starts the binary in the repository's root with args and
// with env added to the test's environment. The test's cleanup kills it
// if it is still running.
func startGwcert(t *testing.T, env []string, args ...string) *gwcertProcess {
	t.Helper()
	p := &gwcertProcess{exited: make(chan struct{})}
	p.cmd = exec.Command(gwcertBin, args...)
	p.cmd.Dir = repoRoot(t)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errOut
	require.NoError(t, p.cmd.Start())
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// output is everything the process wrote so far, stdout then stderr.
func (p *gwcertProcess) output() string { return p.out.String() + p.errOut.String() }

// waitForOutput polls stdout until ok accepts it. It returns false if
// the wait runs out or the process ends first.
func (p *gwcertProcess) waitForOutput(wait time.Duration, ok func(string) bool) bool {
	deadline := time.After(wait)
	for !ok(p.out.String()) {
		select {
		case <-p.exited:
			return ok(p.out.String())
		case <-deadline:
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return true
}

// waitExit reports whether the process ended within wait.
func (p *gwcertProcess) waitExit(wait time.Duration) bool {
	select {
	case <-p.exited:
		return true
	case <-time.After(wait):
		return false
	}
}

// exitStatus is the exit status that cmd.Wait's err reports.
func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	require.NoError(t, err)
	return 0
}

// startMock starts `gwcert mock` on a free port, with flags added.
func startMock(t *testing.T, flags ...string) *gwcertProcess {
	t.Helper()
	return startGwcert(t, nil, append([]string{"mock", "--addr", "127.0.0.1:0"}, flags...)...)
}

// startFaultyMock starts a quiet `gwcert mock` with fault flags and
// returns its process and the environment its export lines give.
func startFaultyMock(t *testing.T, faults ...string) (*gwcertProcess, []string) {
	t.Helper()
	p := startMock(t, append([]string{"--quiet"}, faults...)...)
	return p, readExports(t, &p.out, mockVariables())
}

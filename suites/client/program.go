package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// program is the partner's driver, running. Its stdin and stdout are
// pipes gwcert holds itself, so that writes and reads obey the session's
// deadline even when the program stops reading or writing.
type program struct {
	cmd    *exec.Cmd
	stdin  *os.File // write end
	stdout *os.File // read end
	lines  chan string
	long   bool // a line was longer than maxLine; set before lines closes
	stderr *tail
	exited chan struct{} // closed once Wait has returned
	stop   chan struct{} // closed by close, to release the reader
	closed sync.Once
}

// startProgram starts command through /bin/sh with env. The command is
// run as "exec CMD", so the shell gives way to the program itself.
func startProgram(command string, env []string) (*program, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("stdin pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("stdout pipe: %w", err)
	}
	p := &program{stdin: inW, stdout: outR, lines: make(chan string),
		stderr: &tail{max: stderrKept}, exited: make(chan struct{}), stop: make(chan struct{})}
	p.cmd = exec.Command("/bin/sh", "-c", "exec "+command)
	p.cmd.Env, p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = env, inR, outW, p.stderr
	p.cmd.WaitDelay = time.Second // a grandchild holding stderr open does not stall Wait
	ownGroup(p.cmd)
	err = p.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	go p.read()
	go func() { p.cmd.Wait(); close(p.exited) }()
	return p, nil
}

// read sends stdout's lines to p.lines and closes it at the end.
func (p *program) read() {
	defer close(p.lines)
	sc := bufio.NewScanner(p.stdout)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		select {
		case p.lines <- sc.Text():
		case <-p.stop:
			return
		}
	}
	p.long = errors.Is(sc.Err(), bufio.ErrTooLong)
}

// event is what waiting for the next line brought.
type event int

const (
	gotLine event = iota
	gotEOF
	gotTimeout
	gotCancel
)

// next waits for the next stdout line until deadline or ctx ends.
func (p *program) next(ctx context.Context, deadline time.Time) (string, event) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case line, ok := <-p.lines:
		if !ok {
			return "", gotEOF
		}
		return line, gotLine
	case <-timer.C:
		return "", gotTimeout
	case <-ctx.Done():
		return "", gotCancel
	}
}

// write writes b to stdin, giving up at deadline.
func (p *program) write(b []byte, deadline time.Time) error {
	p.stdin.SetWriteDeadline(deadline) // pipes support deadlines; if not, the write may block
	_, err := p.stdin.Write(b)
	return err
}

// closeStdin tells the program that no step follows.
func (p *program) closeStdin() { p.stdin.Close() }

// wait waits for the process to end until deadline or ctx ends, and
// reports whether it did.
func (p *program) wait(ctx context.Context, deadline time.Time) bool {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-p.exited:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	return false
}

// kill ends the program and everything it started, and waits for it.
func (p *program) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	killGroup(p.cmd)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second): // the kernel has not reaped it; give up
	}
}

// close releases the pipes and the reader; the program must have ended
// or been killed.
func (p *program) close() {
	p.closed.Do(func() {
		close(p.stop)
		p.stdin.Close()
		p.stdout.Close()
	})
}

// end describes how the process ended.
func (p *program) end(e *End) {
	select {
	case <-p.exited:
	default:
		return
	}
	e.Exited = true
	e.Code = p.cmd.ProcessState.ExitCode()
	e.Signal = exitSignal(p.cmd.ProcessState)
}

// tail keeps the last bytes written to it: the program's stderr.
type tail struct {
	mu      sync.Mutex // guards buf and dropped
	max     int
	buf     []byte
	dropped bool // the start was dropped, so the first line is partial
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.dropped = true
	}
	return len(b), nil
}

// lastLines returns up to n of the last non-blank lines, each cut to
// maxShownLine characters and passed through scrub.
func (t *tail) lastLines(n int, scrub func(string) string) []string {
	t.mu.Lock()
	text, dropped := string(t.buf), t.dropped
	t.mu.Unlock()
	lines := strings.Split(text, "\n")
	if dropped {
		lines = lines[1:] // partial: it could hold the end of a secret scrub cannot match
	}
	var out []string
	for _, l := range lines {
		if l = strings.TrimRight(l, "\r \t"); l != "" {
			out = append(out, cut(scrub(l), maxShownLine))
		}
	}
	return out[max(0, len(out)-n):]
}

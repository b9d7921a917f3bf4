package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// DefaultTimeout bounds a whole session, from starting the program to
// its exit.
const DefaultTimeout = 60 * time.Second

// Options say what a session runs.
type Options struct {
	Driver  string            // the program's command line, run through /bin/sh
	Profile *profiles.Profile // nil: the bundled mock's profile
	Steps   []Step            // nil: DefaultScenario()
	Timeout time.Duration     // bound on the whole session; 0: DefaultTimeout
}

// Drive runs one certification session. It starts the mock gateway on a
// free loopback port, starts the program with the primary mock client's
// credentials in its environment, writes one step a line and waits for
// each answer before the next, then closes stdin and waits for the
// program to exit. A program that is still running when the timeout
// passes, or when ctx ends, is killed with everything it started.
//
// Whatever the program does (crash, hang, garbage) is recorded in the
// session; the error is only for a session that cannot run at all, such
// as a profile the mock cannot serve or a scenario that is not valid.
func Drive(ctx context.Context, o Options) (*Session, error) {
	o = o.withDefaults()
	if err := CheckSteps(o.Steps); err != nil {
		return nil, err
	}
	w, err := newWorld(o.Profile)
	if err != nil {
		return nil, fmt.Errorf("mock gateway: %w", err)
	}
	srv, err := mockgateway.Serve(ctx, "127.0.0.1:0", w.tap, mockgateway.ServeOptions{})
	if err != nil {
		return nil, err
	}
	s := &Session{Driver: o.Driver, Profile: o.Profile, Steps: o.Steps, Timeout: o.Timeout,
		Answers: make([]*Answer, len(o.Steps)), w: w}
	start := time.Now()
	f := &feeder{s: s, w: w, deadline: start.Add(o.Timeout)}
	if err := f.run(ctx, o.Driver, w.env(srv.URL)); err != nil {
		stopServer(srv)
		return nil, err
	}
	s.End.Elapsed = time.Since(start).Round(time.Millisecond)
	stopServer(srv)
	s.Calls = w.tap.calls(w.gw.Exchanges())
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.Profile == nil {
		o.Profile = profiles.Default()
	}
	if o.Steps == nil {
		o.Steps = DefaultScenario()
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// CheckSteps checks a scenario: unique names, payloads and answers that
// are JSON, statuses from 200 to 599, and an answer for every status
// that is not 2xx (only a success can echo the payload).
func CheckSteps(steps []Step) error {
	var problems []string
	seen := map[string]bool{}
	for i, st := range steps {
		at := fmt.Sprintf("step %d (%s)", i, st.ID)
		add := func(why string) { problems = append(problems, at+": "+why) }
		if st.ID == "" || seen[st.ID] {
			add("name empty or used twice")
		}
		seen[st.ID] = true
		if !json.Valid(st.Payload) {
			add("payload is not JSON")
		}
		if !strings.HasPrefix(st.Path, "/") || st.Method == "" {
			add(`method missing or path not starting with "/"`)
		}
		switch {
		case st.Status < 200 || st.Status > 599:
			add(fmt.Sprintf("status %d: want 200..599", st.Status))
		case st.Answer != nil && !json.Valid(st.Answer):
			add("answer is not JSON")
		case st.Answer == nil && !is2xx(st.Status):
			add(fmt.Sprintf("status %d needs an answer: only a success echoes", st.Status))
		}
	}
	if len(problems) > 0 {
		return errors.New("scenario: " + strings.Join(problems, "; "))
	}
	return nil
}

func is2xx(status int) bool { return status >= 200 && status <= 299 }

// feeder writes the steps and collects the answers of one session.
type feeder struct {
	s        *Session
	w        *world
	p        *program
	deadline time.Time
}

// run starts the program, feeds it every step, and sees it end. Its
// error is the mock refusing a scripted answer, never the program's
// doing.
func (f *feeder) run(ctx context.Context, command string, env []string) error {
	p, err := startProgram(command, env)
	if err != nil {
		f.s.End.StartErr = f.w.scrub(err.Error())
		return nil
	}
	f.p = p
	defer f.finish()
	stopped, err := f.feed(ctx)
	if err != nil || stopped {
		return err
	}
	f.w.tap.setStep(len(f.s.Steps))
	p.closeStdin()
	f.drain(ctx)
	return nil
}

// feed writes the steps one at a time, each once the previous one is
// answered, and reports whether the program stopped answering.
func (f *feeder) feed(ctx context.Context) (bool, error) {
	for i, st := range f.s.Steps {
		f.w.tap.setStep(i)
		f.w.gw.ClearScripts() // an answer a refused call left unused must not leak into this step
		if err := f.w.gw.Script(st.Path, st.script()); err != nil {
			return true, err
		}
		f.s.Fed = i + 1
		if err := f.p.write(st.line(), f.deadline); err != nil && f.s.End.WriteErr == "" {
			// The program stopped reading; what it already wrote is still read.
			f.s.End.WriteErr = fmt.Sprintf("step %s could not be written: %v", st.ID, err)
		}
		if !f.await(ctx, i) {
			return true, nil
		}
	}
	return false, nil
}

// await reads lines until the answer to step i, and reports whether it
// came. Lines that are not JSON objects are kept as garbage.
func (f *feeder) await(ctx context.Context, i int) bool {
	for {
		line, ev := f.p.next(ctx, f.deadline)
		if ev != gotLine {
			f.stopped(ev, i)
			return false
		}
		if !isObjectLine(line) {
			f.s.GarbageCount++
			f.s.Garbage = f.keep(f.s.Garbage, i, line)
			continue
		}
		a := parseAnswer(line, f.s.Steps[i].ID)
		a.Line = f.w.scrub(a.Line)
		a.Error = f.w.scrub(a.Error)
		f.s.Answers[i] = a
		return true
	}
}

// drain reads what the program prints after stdin closed, until it
// closes stdout.
func (f *feeder) drain(ctx context.Context) {
	for {
		line, ev := f.p.next(ctx, f.deadline)
		if ev != gotLine {
			if ev != gotEOF {
				f.stopped(ev, len(f.s.Steps))
			}
			return
		}
		f.s.ExtraCount++
		f.s.Extra = f.keep(f.s.Extra, len(f.s.Steps)-1, line)
	}
}

// stopped records why feeding stopped at step i; a program that timed
// out or outlived an interrupted run is killed at once.
func (f *feeder) stopped(ev event, i int) {
	e := &f.s.End
	e.StopStep = i
	switch {
	case ev == gotEOF && f.p.long:
		e.Stop, e.Killed = StopLongLine, "it printed a line longer than the limit"
	case ev == gotEOF:
		e.Stop = StopEOF
	case ev == gotTimeout:
		e.Stop, e.Killed = StopTimeout, "the session timeout of "+f.s.Timeout.String()+" passed"
	default:
		e.Stop, e.Killed = StopInterrupted, "the run was interrupted"
	}
	if e.Killed != "" {
		f.p.kill()
	}
}

// finish waits for the program to end, until the deadline, kills it if
// it has not, and records how it ended.
func (f *feeder) finish() {
	e := &f.s.End
	if !f.p.wait(context.Background(), f.deadline) {
		if e.Killed == "" {
			e.Killed = "it did not exit within the session timeout of " + f.s.Timeout.String()
			if e.Stop == StopNone {
				e.Stop, e.StopStep = StopTimeout, len(f.s.Steps)
			}
		}
		f.p.kill()
	}
	f.p.end(e)
	f.p.close()
	e.Stderr = f.p.stderr.lastLines(stderrLines, f.w.scrub)
}

// keep adds a line to lines unless maxKeptLines are kept already.
func (f *feeder) keep(lines []Line, after int, line string) []Line {
	if len(lines) >= maxKeptLines {
		return lines
	}
	return append(lines, Line{After: after, Text: f.shown(line)})
}

// shown is a line of the program as evidence may show it.
func (f *feeder) shown(line string) string { return cut(f.w.scrub(line), maxShownLine) }

// isObjectLine reports whether line is one JSON object.
func isObjectLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "{") && json.Valid([]byte(t))
}

// cut shortens s to about n bytes, marking the cut and keeping UTF-8
// whole.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fmt.Sprintf("… (%d bytes in all)", len(s))
}

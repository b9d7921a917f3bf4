package client

import (
	"fmt"
	"strings"

	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
)

// judgeContract is C-0.1: the program answers every step with one JSON
// line, in order, prints nothing else, and exits with status 0 once
// stdin closes, all within the session timeout.
func judgeContract(a *analysis) reports.Check {
	s := a.s
	def := checks.MustLookup("C-0.1")
	ev := &reports.Evidence{
		Expected: []string{fmt.Sprintf("one JSON answer line per step, in order, nothing else on "+
			"stdout, then exit status 0 once stdin closes, all within %s", s.Timeout)},
		Sent: a.fedText(),
		Actual: fmt.Sprintf("%s after %s; %d of %d steps answered", s.End.exit(), s.End.Elapsed,
			s.answered(), len(s.Steps)),
		Got: stderrText(s.End.Stderr),
	}
	problems := a.contractProblems()
	if len(problems) == 0 {
		return def.Check(reports.Pass, fmt.Sprintf("answered all %d steps in order with JSON lines "+
			"and exited with status 0 when stdin closed, after %s", len(s.Steps), s.End.Elapsed), ev)
	}
	ev.Actual += "\n" + strings.Join(problems, "\n")
	reason := problems[0]
	if len(problems) > 1 {
		reason += fmt.Sprintf(" (and %s, see the evidence)", count(len(problems)-1, "more problem"))
	}
	return def.Check(reports.Fail, reason, ev)
}

// contractProblems lists how the program broke the driver contract.
func (a *analysis) contractProblems() []string {
	s, e := a.s, a.s.End
	if e.StartErr != "" {
		return []string{"the driver could not be started: " + e.StartErr}
	}
	var out []string
	if n := s.GarbageCount; n > 0 {
		g := s.Garbage[0]
		out = append(out, fmt.Sprintf("printed %s that %s not a JSON object, the first %s: %q",
			count(n, "garbage line"), plural(n, "is", "are"), a.whenFed(g.After), cut(g.Text, 120)))
	}
	if p := a.stopProblem(); p != "" {
		out = append(out, p)
	}
	for i, ans := range s.Answers {
		if ans != nil && ans.Problem != "" {
			out = append(out, fmt.Sprintf("the answer to %s breaks the contract: %s: %s",
				s.Steps[i].ID, ans.Problem, cut(ans.Line, 120)))
		}
	}
	if n := s.ExtraCount; n > 0 {
		out = append(out, fmt.Sprintf("printed %s after the last answer, the first: %q",
			count(n, "line"), cut(s.Extra[0].Text, 120)))
	}
	if e.WriteErr != "" && e.Stop == StopNone {
		out = append(out, "stopped reading its input: "+e.WriteErr)
	}
	return append(out, a.exitProblem()...)
}

// stopProblem says why the program left steps unanswered, or "".
func (a *analysis) stopProblem() string {
	s, e := a.s, a.s.End
	answered := fmt.Sprintf("%d of %d steps answered", s.answered(), len(s.Steps))
	atEnd := e.StopStep >= len(s.Steps)
	step := ""
	if !atEnd {
		step = s.Steps[e.StopStep].ID
	}
	switch {
	case e.Stop == StopEOF && !atEnd:
		return fmt.Sprintf("the driver ended early: it closed its output before answering step %s "+
			"(%s) and %s", step, answered, e.exit())
	case e.Stop == StopTimeout && !atEnd:
		return fmt.Sprintf("the driver hangs: no answer to step %s within the session timeout "+
			"of %s (%s); it was killed", step, s.Timeout, answered)
	case e.Stop == StopTimeout:
		return fmt.Sprintf("the driver did not exit after stdin closed, within the session "+
			"timeout of %s; it was killed", s.Timeout)
	case e.Stop == StopLongLine:
		return fmt.Sprintf("the driver printed a line longer than %d MiB (%s); it was killed",
			maxLine>>20, answered)
	case e.Stop == StopInterrupted:
		return fmt.Sprintf("the run was interrupted (%s); the driver was killed", answered)
	}
	return ""
}

// exitProblem objects to an exit other than status 0 once every step
// was answered; an early stop is stopProblem's to report.
func (a *analysis) exitProblem() []string {
	e := a.s.End
	if e.Stop != StopNone {
		return nil
	}
	switch {
	case e.Killed != "":
		return []string{"the driver was killed: " + e.Killed}
	case !e.Exited:
		return []string{"the driver did not exit"}
	case e.Signal != "" || e.Code != 0:
		return []string{fmt.Sprintf("the driver %s after stdin closed; want exit status 0",
			e.exit())}
	}
	return nil
}

// whenFed says when a line came, by the step last fed.
func (a *analysis) whenFed(after int) string {
	if after < 0 {
		return "before the first step"
	}
	return "while step " + a.s.Steps[after].ID + " was fed"
}

// fedText says what the program was given.
func (a *analysis) fedText() string {
	s := a.s
	text := fmt.Sprintf("%q with the GWCERT_* variables of the mock client; %d of %d steps written "+
		"to stdin", s.Driver, s.Fed, len(s.Steps))
	if s.Fed == len(s.Steps) && s.End.Stop == StopNone {
		text += ", then stdin closed"
	}
	return text
}

// stderrText shows the last lines of the program's stderr.
func stderrText(lines []string) string {
	if len(lines) == 0 {
		return "stderr: (empty)"
	}
	return "stderr, last lines:\n" + strings.Join(lines, "\n")
}

// count writes n and a noun, in the plural unless n is 1.
func count(n int, noun string) string {
	return fmt.Sprintf("%d %s", n, plural(n, noun, noun+"s"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

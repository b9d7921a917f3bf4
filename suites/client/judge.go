package client

import (
	"fmt"
	"strings"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
)

// CheckIDs are the client checks: the driver contract first, then by
// section of PROTOCOL.md, the order in which the suite's specs run.
var CheckIDs = []string{"C-0.1", "C-2.1", "C-3.1", "C-3.2", "C-3.3", "C-4.1", "C-4.2", "C-4.3",
	"C-5.1", "C-5.2", "C-7.1"}

// judges maps each client check to the function that judges it.
var judges = map[string]func(*analysis) reports.Check{
	"C-4.1": judgeHeaders,
	"C-4.2": judgeContentType,
	"C-3.1": judgeHeaderShape,
	"C-3.2": judgeEpoch,
	"C-3.3": judgeFreshHeader,
	"C-7.1": judgeIVs,
	"C-2.1": judgeBase64,
	"C-4.3": judgePayload,
	"C-5.1": judgeSuccess,
	"C-5.2": judgePlainErrors,
	"C-0.1": judgeContract,
}

// Judge judges the session on every client check, in the order of
// CheckIDs.
func Judge(s *Session) []reports.Check {
	out := make([]reports.Check, 0, len(CheckIDs))
	for _, id := range CheckIDs {
		out = append(out, JudgeCheck(s, id))
	}
	return out
}

// JudgeCheck judges the session on one client check. Evidence never
// holds the key, the client secret or the whole pass key: opened headers
// show the secret as [redacted], pass keys are masked, and text that came
// from the program has every form of the secrets replaced.
func JudgeCheck(s *Session, id string) reports.Check {
	judge, ok := judges[id]
	if !ok {
		panic("client: no judge for check " + id)
	}
	return judge(s.analyse())
}

// tally gathers one check's findings over the items it judged.
type tally struct {
	id       string
	unit     string // what an item is: "calls", "tokens", "steps"
	expected []string
	judged   int
	fails    []finding
	sample   *callView // a call to show as evidence when nothing failed
	headline string    // leads the reason of a FAIL, when set
	none     string    // the reason of a SKIP when nothing was judged
}

// finding is one item that failed.
type finding struct {
	where, why string
	cv         *callView // the call it concerns, if any
	got        string    // what the program reported, if that is the evidence
}

func newTally(id, unit string, expected ...string) *tally {
	return &tally{id: id, unit: unit, expected: expected,
		none: "none of the " + unit + " this check judges occurred in the session"}
}

// pass counts an item that met the check.
func (t *tally) pass(cv *callView) {
	t.judged++
	if t.sample == nil {
		t.sample = cv
	}
}

// fail counts an item that did not.
func (t *tally) fail(where, why string, cv *callView) {
	t.judged++
	t.fails = append(t.fails, finding{where: where, why: why, cv: cv})
}

// check turns the tally into the check's verdict, reason and evidence.
func (t *tally) check(a *analysis, passed string) reports.Check {
	def := checks.MustLookup(t.id)
	note := a.partialNote()
	switch {
	case t.judged == 0:
		return def.Check(reports.Skip, a.nothingJudged(t.none), nil)
	case len(t.fails) == 0:
		ev := &reports.Evidence{Expected: t.expected,
			Actual: fmt.Sprintf("%d of %d %s met it", t.judged, t.judged, t.unit)}
		if t.sample != nil {
			ev.Sent, ev.Got = a.describe(t.sample), a.answerLine(t.sample)
		}
		return def.Check(reports.Pass, passed+note, ev)
	}
	f := t.fails[0]
	reason := fmt.Sprintf("%s: %s (%d of %d %s)", f.where, f.why, len(t.fails), t.judged, t.unit)
	if t.headline != "" {
		reason = t.headline + "; first " + reason
	}
	return def.Check(reports.Fail, a.w.scrub(reason)+note, t.evidence(a, f))
}

// evidence shows the first failing item and lists the others, the
// places that failed the same way on one line.
func (t *tally) evidence(a *analysis, f finding) *reports.Evidence {
	ev := &reports.Evidence{Expected: t.expected, Actual: f.where + ": " + f.why, Got: f.got}
	if f.cv != nil {
		ev.Sent = a.describe(f.cv)
		if ev.Got == "" {
			ev.Got = a.answerLine(f.cv)
		}
	}
	var whys []string
	places := map[string][]string{}
	for _, o := range t.fails[1:] {
		if places[o.why] == nil {
			whys = append(whys, o.why)
		}
		places[o.why] = append(places[o.why], o.where)
	}
	for i, why := range whys {
		if i == maxShownGroups {
			ev.Actual += fmt.Sprintf("\nand %d more kinds of fault", len(whys)-i)
			break
		}
		ev.Actual += "\nalso " + listPlaces(places[why]) + ": " + why
	}
	ev.Actual = a.w.scrub(ev.Actual)
	return ev
}

// maxShownGroups bounds the kinds of fault an evidence lists.
const maxShownGroups = 6

// listPlaces joins places, naming the first few.
func listPlaces(places []string) string {
	const shown = 8
	if len(places) <= shown {
		return strings.Join(places, ", ")
	}
	return strings.Join(places[:shown], ", ") + fmt.Sprintf(" and %d more", len(places)-shown)
}

// partialNote says when the checks saw only part of the scenario.
func (a *analysis) partialNote() string {
	if n := a.s.answered(); n < len(a.s.Steps) {
		return fmt.Sprintf("; judged on the %d of %d steps the driver answered (see C-0.1)",
			n, len(a.s.Steps))
	}
	return ""
}

// nothingJudged is the reason of a SKIP: the session, or the check's
// own reason none.
func (a *analysis) nothingJudged(none string) string {
	switch {
	case a.s.answered() == 0:
		return "the driver answered no step, so there was nothing to judge (see C-0.1)"
	case len(a.s.Calls) == 0:
		return "no call reached the gateway, so there was nothing to judge"
	}
	return none + a.partialNote()
}

// describe shows a call as evidence: method, path, step, headers and
// body, secrets never shown.
func (a *analysis) describe(cv *callView) string {
	c := cv.c
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s", c.Method, c.Path, cv.where)
	if c.Step >= 0 && c.Step < len(a.s.Steps) {
		fmt.Fprintf(&b, ": %s", a.s.Steps[c.Step].Note)
	}
	b.WriteString(")\n")
	fmt.Fprintf(&b, "pass_key: %s\n", orNone(cv.passKeys))
	fmt.Fprintf(&b, "header_secrets: %s\n", a.shownHeader(cv.header))
	fmt.Fprintf(&b, "Content-Type: %s\n", orNone(cv.contentTypes))
	fmt.Fprintf(&b, "body: %s", a.shownBody(cv))
	return a.w.scrub(b.String())
}

// orNone joins header values, which the recorder keeps with pass_key
// masked.
func orNone(values []string) string {
	if len(values) == 0 {
		return "(none)"
	}
	return cut(strings.Join(values, ", "), maxShownLine)
}

// shownBody shows a request body: the token's start and what it opened
// to, or what is wrong with it.
func (a *analysis) shownBody(cv *callView) string {
	b, size := cv.body, len(cv.c.Body)
	switch {
	case b.problem != "":
		return fmt.Sprintf("%d bytes, %s: %s", size, b.problem,
			cut(a.w.scrub(string(cv.c.Body)), 120))
	case b.openErr != nil:
		return fmt.Sprintf(`{"RequestData":"%s"} (%d bytes); RequestData %v`,
			tokenHead(b.token), size, b.openErr)
	}
	return fmt.Sprintf(`{"RequestData":"%s"} (%d bytes), opens to %s`, tokenHead(b.token), size,
		cut(a.w.scrub(string(b.payload)), 200))
}

// answerLine shows the mock's answer to a call and, if the mock
// refused it, which of its checks did.
func (a *analysis) answerLine(cv *callView) string {
	c := cv.c
	if c.Status == 0 {
		return "no answer was written: the call was cut off"
	}
	text := fmt.Sprintf("%d %s", c.Status, cut(a.w.scrub(string(c.Answer)), 120))
	if doc, ok := a.sealedAnswer(c); ok {
		text += ", which opens to " + cut(a.w.scrub(string(doc)), 200)
	}
	ex := c.Exchange
	if ex.Failed != 0 && len(ex.Checks) > 0 {
		v := ex.Checks[len(ex.Checks)-1]
		text += fmt.Sprintf("\nthe mock refused it at its check %d (%s: %s)", int(ex.Failed),
			v.Name, v.Reason)
	}
	return a.w.scrub(text)
}

// sealedAnswer opens the mock's sealed answer to a call.
func (a *analysis) sealedAnswer(c *Call) ([]byte, bool) {
	if !is2xx(c.Status) || c.Cut {
		return nil, false
	}
	r, err := a.w.codec.OpenResponse(c.Status, c.Answer)
	if err != nil || !r.Encrypted {
		return nil, false
	}
	return r.JSON, true
}

// maskedPassKey is the client's pass key as evidence may show it.
func (a *analysis) maskedPassKey() string { return envelope.MaskPassKey(a.w.creds.PassKey) }

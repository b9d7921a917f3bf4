package client

import (
	"fmt"

	"github.com/gwcert/gwcert/reports"
)

// judgeSuccess is C-5.1: for a 2xx answer the program reports the status
// and the opened ResponseData, as the mock sent them.
func judgeSuccess(a *analysis) reports.Check {
	t := a.judgeAnswers("C-5.1", true,
		"the status and the opened ResponseData, as the mock sealed them")
	t.none = "no call got a success answer, so no opened answer could be compared: the mock " +
		"refused every call (the failed checks say why)"
	return t.check(a, fmt.Sprintf("the driver reported all %d success answers as the mock sealed "+
		"them", t.judged))
}

// judgePlainErrors is C-5.2: for any other answer the program reports
// the status and the plain JSON body as it came, never an error from
// trying to decrypt it.
func judgePlainErrors(a *analysis) reports.Check {
	t := a.judgeAnswers("C-5.2", false,
		"the status and the plain JSON body as they came; never an error line")
	t.none = "no answered step got a failure answer"
	return t.check(a, fmt.Sprintf("the driver reported all %d failure answers as plain JSON",
		t.judged))
}

// judgeAnswers compares each step's answer with the mock's answer to the
// step's last call, for the steps whose answer was a success (or not).
func (a *analysis) judgeAnswers(id string, success bool, expected string) *tally {
	t := newTally(id, "steps", expected)
	for i := range a.s.Steps {
		ans, calls := a.s.Answers[i], a.byStep[i]
		if ans == nil || len(calls) == 0 {
			continue
		}
		last := calls[len(calls)-1]
		status := last.c.Status
		if status == 0 || is2xx(status) != success {
			continue
		}
		want, ok := a.wireAnswer(last.c, success)
		if !ok {
			continue
		}
		if why := answerFault(ans, status, want, success); why != "" {
			t.fail(last.where, why, last)
			t.fails[len(t.fails)-1].got = a.reported(ans, last)
		} else {
			t.pass(last)
		}
	}
	return t
}

// wireAnswer is what the program must report for a call: the opened
// ResponseData of a success, the plain body of anything else.
func (a *analysis) wireAnswer(c *Call, success bool) ([]byte, bool) {
	if success {
		return a.sealedAnswer(c)
	}
	return c.Answer, !c.Cut
}

func answerFault(ans *Answer, status int, want []byte, success bool) string {
	switch {
	case ans.Errored && success:
		return fmt.Sprintf("reported the error %q for a %d answer that opens", ans.Error, status)
	case ans.Errored:
		return fmt.Sprintf("reported the error %q instead of the plain %d answer: a failure "+
			"answer is read as JSON, never decrypted", ans.Error, status)
	case ans.Body == nil:
		return "the answer line does not say what was understood: " + ans.Problem
	case ans.Status != status:
		return fmt.Sprintf("reported status %d, the mock answered %d", ans.Status, status)
	}
	d := jsonDiff(want, ans.Body)
	switch {
	case d == "":
		return ""
	case success:
		return "the reported body is not the opened ResponseData: " + d
	}
	return "the reported body is not the plain answer: " + d
}

// reported shows what the program reported next to what the mock sent.
func (a *analysis) reported(ans *Answer, cv *callView) string {
	return "the mock answered " + a.answerLine(cv) + "\nthe driver reported " +
		cut(ans.Line, maxShownLine)
}

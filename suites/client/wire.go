package client

import (
	"errors"
	"fmt"
	"mime"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
)

// judgeHeaders is C-4.1: every call carries pass_key, the client's, and
// header_secrets, each once.
func judgeHeaders(a *analysis) reports.Check {
	t := newTally("C-4.1", "calls",
		"pass_key: the client's pass key ("+a.maskedPassKey()+"), sent once",
		"header_secrets: a token, sent once")
	for _, cv := range a.calls {
		if why := headersFault(cv); why != "" {
			t.fail(cv.where, why, cv)
		} else {
			t.pass(cv)
		}
	}
	return t.check(a, fmt.Sprintf("all %d calls carried the client's pass_key and a header_secrets",
		t.judged))
}

func headersFault(cv *callView) string {
	switch n := len(cv.passKeys); {
	case n == 0:
		return "no pass_key header"
	case n > 1:
		return fmt.Sprintf("pass_key sent %d times", n)
	}
	switch h := cv.header; {
	case h.count == 0:
		return "no header_secrets header"
	case h.count > 1:
		return fmt.Sprintf("header_secrets sent %d times", h.count)
	case h.token == "":
		return "header_secrets is empty"
	}
	if cv.c.Recorded && cv.c.Exchange.Client == "" {
		return fmt.Sprintf("pass_key %s is not the client's", cv.passKeys[0])
	}
	return ""
}

// judgeContentType is C-4.2: every call is sent as application/json.
func judgeContentType(a *analysis) reports.Check {
	t := newTally("C-4.2", "calls", "Content-Type: application/json (a charset parameter is fine)")
	for _, cv := range a.calls {
		if why := contentTypeFault(cv.contentTypes); why != "" {
			t.fail(cv.where, why, cv)
		} else {
			t.pass(cv)
		}
	}
	return t.check(a, fmt.Sprintf("all %d calls were sent as application/json", t.judged))
}

func contentTypeFault(values []string) string {
	switch len(values) {
	case 0:
		return "no Content-Type header"
	case 1:
	default:
		return fmt.Sprintf("Content-Type sent %d times", len(values))
	}
	mt, _, err := mime.ParseMediaType(values[0])
	if err != nil || mt != envelope.ContentTypeJSON {
		return fmt.Sprintf("Content-Type is %q, not application/json", cut(values[0], 60))
	}
	return ""
}

// judgeBase64 is C-2.1: every token sent is strict standard base64.
func judgeBase64(a *analysis) reports.Check {
	t := newTally("C-2.1", "tokens",
		"standard base64 (A-Z a-z 0-9 + /) with '=' padding, on one line, nothing else")
	for _, cv := range a.calls {
		if h := cv.header; h.count > 0 && h.token != "" {
			t.judge(cv.where+" header_secrets", base64Fault(a, h.token, h.plain), cv)
		}
		if b := cv.body; b.problem == "" {
			t.judge(cv.where+" RequestData", base64Fault(a, b.token, false), cv)
		}
	}
	return t.check(a, fmt.Sprintf("all %d tokens were strict standard base64", t.judged))
}

// judge counts an item that failed when why is not "".
func (t *tally) judge(where, why string, cv *callView) {
	if why != "" {
		t.fail(where, why, cv)
	} else {
		t.pass(cv)
	}
}

// base64Fault says how a token breaks strict standard base64, or "".
// The envelope's strict decoder finds the fault; its reason names the
// offending character, never the token's content.
func base64Fault(a *analysis, token string, plain bool) string {
	_, err := a.w.codec.Open(token)
	var e *envelope.Error
	if !errors.As(err, &e) || e.Kind != envelope.KindBase64 {
		return ""
	}
	why := e.Reason
	if e.Offset >= 0 {
		why += fmt.Sprintf(" at offset %d", e.Offset)
	}
	if plain {
		why = "it is plain JSON, not base64: " + why
	}
	return why
}

// judgePayload is C-4.3: each step's call carries the step's payload,
// and no call comes without a step.
func judgePayload(a *analysis) reports.Check {
	t := newTally("C-4.3", "calls", "one call per step whose RequestData opens to the step's "+
		"payload (compared as JSON: member order, spacing and number form are free)")
	for i, st := range a.s.Steps {
		calls := a.byStep[i]
		if ans := a.s.Answers[i]; len(calls) == 0 && ans != nil {
			t.fail(st.ID, "the driver answered the step, but no call reached the gateway", nil)
			t.fails[len(t.fails)-1].got = "reported: " + cut(ans.Line, maxShownLine)
		}
		for _, cv := range calls {
			t.judge(cv.where, payloadFault(cv, st), cv)
		}
	}
	for _, cv := range a.outside {
		t.fail(cv.where, "a call that no step asked for", cv)
	}
	return t.check(a, fmt.Sprintf("all %d calls carried their step's payload", t.judged))
}

func payloadFault(cv *callView, st Step) string {
	b := cv.body
	switch {
	case cv.c.Cut:
		return "the body is longer than gwcert reads"
	case b.problem != "":
		return b.problem
	case b.openErr != nil:
		return "RequestData " + b.openErr.Error()
	}
	if d := jsonDiff(st.Payload, b.payload); d != "" {
		return "RequestData is not the step's payload: " + d
	}
	return ""
}

package brokengw

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// exchange is one call and the mock's answer, which an answerFix may
// change before it is sent.
type exchange struct {
	r      *http.Request
	sender *client // nil when the pass key is unknown
	sent   []byte  // the request body
	status int
	body   []byte
}

// answerFix may change the answer of x.
type answerFix func(k *keyring, x *exchange)

// fixedIV is the one IV reused-response-iv seals every answer with; its
// first IVSize bytes are used.
var fixedIV = []byte("gwcert-fixed-iv!")

// oracleDelay is how much longer timing-oracle takes to refuse bad
// padding: a hundred times the loopback noise of a quiet machine, and
// still ten times that of a busy one, so the suite's probe sees it.
const oracleDelay = 100 * time.Millisecond

// answerFixtures break the answers: their form (PROTOCOL.md section 5)
// or what they give away (section 7).
func answerFixtures() []Fixture {
	return []Fixture{
		{
			Name:   "plaintext-success",
			Breaks: "answers success with the opened JSON instead of ResponseData",
			Want:   verdicts{"G-5.1": reports.Fail, "S-7.3": reports.Warn},
			Wrap:   rewriteAnswer(plaintextSuccess),
		},
		{
			Name:   "encrypted-errors",
			Breaks: "seals every non-2xx answer as ResponseData, so no refusal is plain JSON",
			Want:   encryptedErrorsWant(),
			Wrap:   rewriteAnswer(encryptedErrors),
		},
		{
			Name:   "reused-response-iv",
			Breaks: "seals every success answer with one fixed IV",
			Want:   verdicts{"S-7.3": reports.Warn},
			Wrap:   rewriteAnswer(reusedIV),
		},
		{
			Name: "padding-oracle",
			Breaks: "refuses RequestData with bad padding with its own statusDesc, unlike " +
				"every other decoding failure",
			Want: verdicts{"S-7.1": reports.Warn, "G-6.9": reports.Fail},
			Wrap: rewriteAnswer(paddingOracle),
		},
		{
			Name: "timing-oracle",
			Breaks: "refuses RequestData with bad padding " + oracleDelay.String() +
				" later than other decoding failures, with the same answer",
			Want: verdicts{"S-7.2": reports.Warn},
			Wrap: rewriteAnswer(timingOracle),
		},
		{
			Name:   "secret-echo",
			Breaks: "echoes the pass_key it received in every error answer",
			Want:   verdicts{"S-7.4": reports.Warn},
			Wrap:   rewriteAnswer(echoPassKey),
		},
	}
}

// encryptedErrorsWant lists what sealed refusals break: every check that
// requires a plain refusal, and the identical answers of S-7.1 (each
// sealed answer has its own IV).
func encryptedErrorsWant() verdicts {
	want := verdicts{"G-6.6": reports.Warn, "S-7.1": reports.Warn}
	for _, id := range []string{"G-5.2", "G-6.1", "G-6.2", "G-6.3", "G-6.4", "G-6.5",
		"G-6.8", "G-6.9", "G-6.10"} {
		want[id] = reports.Fail
	}
	return want
}

// rewriteAnswer returns a wrapper that lets fix change the mock's answer
// to every call.
func rewriteAnswer(fix answerFix) wrapFunc {
	return func(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler {
		return withKeyring(creds, func(k *keyring) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				x := &exchange{r: r, sender: k.sender(r), sent: peekBody(r)}
				x.status, x.body = capture(g, r)
				fix(k, x)
				reply(w, x.status, x.body)
			})
		})
	}
}

// opened returns the opened ResponseData of a success answer.
func (x *exchange) opened() ([]byte, bool) {
	if x.sender == nil || !is2xx(x.status) {
		return nil, false
	}
	resp, err := x.sender.codec.OpenResponse(x.status, x.body)
	return resp.JSON, err == nil
}

// badPadding reports whether the call was refused for its RequestData and
// that token has bad padding under the sender's key.
func (x *exchange) badPadding() bool {
	refusal := mockErrors()["G-6.9"]
	tok := requestData(x.sent)
	if x.sender == nil || tok == nil || statusDesc(x.body) != refusal.Text {
		return false
	}
	_, err := x.sender.codec.Open(string(tok))
	return envelope.KindOf(err) == envelope.KindPadding
}

func plaintextSuccess(_ *keyring, x *exchange) {
	if doc, ok := x.opened(); ok {
		x.body = doc
	}
}

func encryptedErrors(k *keyring, x *exchange) {
	if is2xx(x.status) {
		return
	}
	c := x.sender
	if c == nil {
		c = k.byName[profiles.Primary]
	}
	if sealed, err := c.codec.AppendSealResponse(nil, x.body); err == nil {
		x.body = sealed
	}
}

func reusedIV(_ *keyring, x *exchange) {
	doc, ok := x.opened()
	if !ok {
		return
	}
	out := []byte(`{"` + envelope.ResponseDataMember + `":"`)
	out, err := x.sender.codec.AppendSealIV(out, fixedIV[:x.sender.codec.Scheme().IVSize()], doc)
	if err == nil {
		x.body = append(out, `"}`...)
	}
}

func paddingOracle(_ *keyring, x *exchange) {
	if x.badPadding() {
		x.body = failureBody(x.status, "bad padding in RequestData")
	}
}

func timingOracle(_ *keyring, x *exchange) {
	if x.badPadding() {
		time.Sleep(oracleDelay)
	}
}

func echoPassKey(_ *keyring, x *exchange) {
	n := len(x.body)
	if is2xx(x.status) || n == 0 || x.body[n-1] != '}' {
		return
	}
	sent, _ := json.Marshal(x.r.Header.Get(envelope.HeaderPassKey))
	body := append(x.body[:n-1:n-1], `,"pass_key":`...)
	x.body = append(append(body, sent...), '}')
}

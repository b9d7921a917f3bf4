package brokengw

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// bodyFix may replace the body of a call from c.
type bodyFix func(c *client, body []byte) ([]byte, bool)

// bodyFixtures break the checks of the request body and the route
// (PROTOCOL.md section 6, checks 8 to 10).
func bodyFixtures() []Fixture {
	return []Fixture{
		{
			Name:   "plaintext-body",
			Breaks: "accepts a JSON body without RequestData as the payload itself",
			Want:   verdicts{"G-6.8": reports.Fail},
			Wrap:   rewriteBody(plaintextBody),
		},
		{
			Name:   "lenient-base64",
			Breaks: "accepts RequestData in URL-safe base64, line-wrapped or without padding",
			Want:   verdicts{"G-6.9": reports.Fail},
			Wrap:   rewriteBody(lenientBase64),
		},
		{
			Name:   "unknown-route-ok",
			Breaks: "serves every unknown path as the echo, with 200",
			Want:   verdicts{"G-6.10": reports.Fail, "G-5.2": reports.Fail},
			Wrap:   catchAll,
		},
		{
			Name:   "crash-on-bad-body",
			Breaks: "answers a body it cannot read with 500 instead of 400",
			Want:   verdicts{"G-6.8": reports.Fail, "S-7.5": reports.Warn, "S-7.6": reports.Warn},
			Wrap:   crashOnBadBody,
		},
		{
			Name:        "endless-body",
			Breaks:      "waits for ever for a request body that keeps trickling in",
			Want:        verdicts{"S-7.6": reports.Warn},
			ReadTimeout: NoReadTimeout,
		},
	}
}

// rewriteBody returns a wrapper that offers the body of every call from
// a known client to fix, and sends the mock fix's body instead.
func rewriteBody(fix bodyFix) wrapFunc {
	return func(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler {
		return withKeyring(creds, func(k *keyring) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c := k.sender(r); c != nil {
					if body, ok := fix(c, peekBody(r)); ok {
						r = r.Clone(r.Context())
						setBody(r, body)
					}
				}
				g.ServeHTTP(w, r)
			})
		})
	}
}

// bodyWith returns the body {"RequestData": tok}.
func bodyWith(tok string) []byte {
	b, _ := json.Marshal(map[string]string{envelope.RequestDataMember: tok})
	return b
}

func plaintextBody(c *client, body []byte) ([]byte, bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	if _, ok := doc[envelope.RequestDataMember]; ok {
		return nil, false
	}
	tok, ok := c.seal(body)
	return bodyWith(tok), ok
}

func lenientBase64(_ *client, body []byte) ([]byte, bool) {
	var doc map[string]json.RawMessage
	var tok string
	// Leave bodies that are not UTF-8 alone: re-encoding them would mend
	// a second defect, and this fixture breaks only one behaviour.
	if !utf8.Valid(body) || json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	if json.Unmarshal(doc[envelope.RequestDataMember], &tok) != nil {
		return nil, false // absent or not a string
	}
	fixed := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, tok)
	for len(fixed)%4 != 0 {
		fixed += "="
	}
	return bodyWith(fixed), fixed != tok
}

// catchAll sends every call to a path the bundled profile does not serve
// to the echo instead.
func catchAll(g *mockgateway.Gateway, _ map[string]profiles.Credentials) http.Handler {
	served := map[string]bool{mockgateway.EchoPath: true}
	for _, r := range profiles.Default().Routes {
		served[r.Path] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !served[r.URL.Path] {
			r = r.Clone(r.Context())
			r.URL.Path, r.URL.RawPath = mockgateway.EchoPath, ""
		}
		g.ServeHTTP(w, r)
	})
}

// crashOnBadBody turns the mock's refusal of an unreadable body (check 8)
// into a 500.
func crashOnBadBody(g *mockgateway.Gateway, _ map[string]profiles.Credentials) http.Handler {
	badBody := mockErrors()["G-6.8"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body := capture(g, r)
		if status == badBody.Status && statusDesc(body) == badBody.Text {
			status = http.StatusInternalServerError
			body = failureBody(status, "internal server error")
		}
		reply(w, status, body)
	})
}

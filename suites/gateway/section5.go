package gateway

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// declareSection5 checks PROTOCOL.md section 5: success answers are
// sealed ResponseData, failures are plain JSON.
func declareSection5(s *suite) {
	Describe("G-5.1 success answers are sealed ResponseData", Label("G-5.1"), func() {
		BeforeEach(func() { requirement("G-5.1") })
		for _, r := range s.profile.Routes {
			It(r.Method+" "+r.Path, func() { s.checkSuccessAnswer(r) })
		}
	})
	Describe("G-5.2 failure answers are plain JSON", Label("G-5.2"), func() {
		BeforeEach(func() { requirement("G-5.2") })
		It("an unknown pass_key", func() {
			c := validCall(s.t.Primary, "POST", s.firstRoute().Path, s.firstRoute().Payload, s.now().Unix())
			c.passKey, c.note = str("gwcert-unknown-pass-key-0000000000"), "unknown pass_key"
			s.checkPlainFailure(c)
		})
		It("an unknown route", func() {
			c := validCall(s.t.Primary, "POST", s.profile.UnknownPath, s.firstRoute().Payload, s.now().Unix())
			c.note = "unknown route"
			s.checkPlainFailure(c)
		})
	})
}

func (s *suite) firstRoute() profiles.Route { return s.profile.Routes[0] }

// checkSuccessAnswer requires a 2xx answer whose ResponseData opens with
// the client's key to JSON holding the route's expected field.
func (s *suite) checkSuccessAnswer(r profiles.Route) {
	c := validCall(s.t.Primary, r.Method, r.Path, r.Payload, s.now().Unix())
	a := s.send(c)
	ev := &reports.Evidence{Sent: s.describe(c), Got: s.show(a),
		Expected: []string{`2xx {"ResponseData":"<token>"} opening to JSON`}}
	if a.err != nil || a.status < 200 || a.status > 299 {
		ev.Actual = s.show(a)
		s.conclude("G-5.1", r.Path, false, "no success answer to check: "+outcome(a), ev)
		return
	}
	resp, err := s.t.Primary.Codec.OpenResponse(a.status, a.body)
	if err != nil {
		ev.Actual = err.Error()
		s.conclude("G-5.1", r.Path, false, "the success answer does not open: "+err.Error(), ev)
		return
	}
	ev.Actual = "opened: " + shorten(s.redact(string(resp.JSON)), 200)
	if r.ExpectField != "" && !envelope.HasMember(resp.JSON, r.ExpectField) {
		s.conclude("G-5.1", r.Path, false, fmt.Sprintf("the opened answer lacks %q", r.ExpectField), ev)
		return
	}
	s.conclude("G-5.1", r.Path, true, "ResponseData opens to JSON", ev)
}

// checkPlainFailure requires c to be refused with plain JSON.
func (s *suite) checkPlainFailure(c call) {
	a := s.send(c)
	ok, why := plainFailure(a)
	ev := &reports.Evidence{Sent: s.describe(c), Got: s.show(a),
		Expected: []string{"non-2xx, plain JSON without ResponseData"}, Actual: s.show(a)}
	if ok {
		why = "refused with plain JSON"
	}
	s.conclude("G-5.2", c.note, ok, why, ev)
}

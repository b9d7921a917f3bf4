package gateway

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/reports"
)

// declareSection4 checks PROTOCOL.md section 4: a request made as the
// protocol shows succeeds on every route of the profile.
func declareSection4(s *suite) {
	Describe("G-4.1 a valid call on every route succeeds", Label("G-4.1"), func() {
		BeforeEach(func() { requirement("G-4.1") })
		for _, r := range s.profile.Routes {
			It(r.Method+" "+r.Path, func() {
				c := validCall(s.t.Primary, r.Method, r.Path, r.Payload, s.now().Unix())
				a := s.send(c)
				ok := a.err == nil && a.status >= 200 && a.status <= 299
				ev := &reports.Evidence{Sent: s.describe(c), Got: s.show(a),
					Expected: []string{"2xx"}, Actual: s.show(a)}
				s.conclude("G-4.1", r.Method+" "+r.Path, ok, fmt.Sprintf("route answered %s", outcome(a)), ev)
			})
		}
	})
}

// outcome names an answer in a few words.
func outcome(a answer) string {
	if a.err != nil {
		return "nothing (" + a.err.Error() + ")"
	}
	return fmt.Sprint(a.status)
}

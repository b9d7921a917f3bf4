package gateway

import (
	"context"
	"fmt"
	"time"

	"github.com/gwcert/gwcert/internal/slowbody"
	"github.com/gwcert/gwcert/reports"
)

// The in-process mock cuts off a slow body after mockBodyTimeout, and the
// slow-sender check waits mockSlowWait for it: short enough for every
// run, long enough for a loaded machine. A real gateway gets
// Config.SlowSenderWait.
const (
	mockBodyTimeout = 2 * time.Second
	mockSlowWait    = mockBodyTimeout + 6*time.Second
)

// slowPrefix opens a body that never closes: RequestData grows for ever.
const slowPrefix = `{"RequestData":"`

// slowSender sends a valid call whose body never ends and requires the
// gateway to refuse it or hang up within the wait, then to go on
// serving (S-7.6).
func (s *suite) slowSender() {
	wait := s.slowWait()
	if wait <= 0 {
		s.skip("S-7.6", "", "the slow-sender wait is 0 (--slow-sender-wait)")
		return
	}
	c := s.valid()
	c.body = []byte(slowPrefix)
	c.note = fmt.Sprintf("valid headers; the body %s... then a byte every %v, chunked, without end",
		slowPrefix, slowbody.DefaultEvery)
	res, err := slowbody.Send(context.Background(), slowbody.Request{
		URL: s.t.URL + c.path, Header: c.header(), Prefix: c.body, Wait: wait})
	if err != nil {
		s.conclude("S-7.6", "", false, "the call could not be sent: "+err.Error(),
			&reports.Evidence{Sent: s.describe(c)})
		return
	}
	ok, why := judgeSlow(res, wait)
	after := s.send(s.valid())
	if ok && (after.err != nil || after.status < 200 || after.status > 299) {
		ok, why = false, why+", but a valid call afterwards got "+s.show(after)
	}
	ev := &reports.Evidence{Sent: s.describe(c), Got: s.showSlow(res),
		Expected: []string{fmt.Sprintf("a 4xx answer or a closed connection within %v", wait)},
		Actual:   s.showSlow(res)}
	s.conclude("S-7.6", "", ok, why, ev)
}

// slowWait is how long the check waits: fixed against the in-process
// mock, whose body timeout the suite sets.
func (s *suite) slowWait() time.Duration {
	if s.t.IsMock() && s.cfg.SlowSenderWait > 0 {
		return mockSlowWait
	}
	return s.cfg.SlowSenderWait
}

// judgeSlow says whether the gateway dealt with the endless body.
func judgeSlow(r slowbody.Result, wait time.Duration) (bool, string) {
	after := r.After.Round(time.Millisecond)
	switch {
	case r.Outcome == slowbody.Closed:
		return true, fmt.Sprintf("closed the connection after %v", after)
	case r.Outcome == slowbody.StillReading:
		return false, fmt.Sprintf("still reading the body after %v (%d bytes)", wait, r.Sent)
	case r.Status >= 500:
		return false, fmt.Sprintf("answered %d after %v", r.Status, after)
	case r.Status < 400:
		return false, fmt.Sprintf("answered %d to a body that never ended", r.Status)
	}
	return true, fmt.Sprintf("refused with %d after %v", r.Status, after)
}

// showSlow renders what the gateway did, with any echoed secret
// redacted.
func (s *suite) showSlow(r slowbody.Result) string {
	if r.Outcome != slowbody.Answered {
		return fmt.Sprintf("%s after %v", r.Outcome, r.After.Round(time.Millisecond))
	}
	return s.show(answer{status: r.Status, body: r.Body})
}

package gateway

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
)

// hostileCase is one call the gateway must refuse, with the check that
// names the rule it breaks.
type hostileCase struct {
	id        string
	name      string
	needsPeer bool
	build     func(s *suite) call
}

// boundaryCase is one call the gateway must accept: the edge of a window.
type boundaryCase struct {
	id    string
	name  string
	epoch func(s *suite) int64
}

// declareSection6 checks PROTOCOL.md section 6, the gateway's checks in
// order, with every hostile call of the catalogue below.
func declareSection6(s *suite) {
	byID := map[string][]hostileCase{}
	var ids []string
	for _, h := range hostileCases() {
		if byID[h.id] == nil {
			ids = append(ids, h.id)
		}
		byID[h.id] = append(byID[h.id], h)
	}
	for _, id := range ids {
		Describe(id+" "+titleOf(id), Label(id), func() {
			BeforeEach(func() { requirement(id) })
			for _, h := range byID[id] {
				It("refuses "+h.name, func() { s.mustRefuse(h) })
			}
			for _, b := range boundaryCases() {
				if b.id == id {
					It("accepts "+b.name, func() { s.mustAcceptEpoch(b) })
				}
			}
		})
	}
	Describe("G-6.7 a replayed header_secrets is refused", Label("G-6.7"), func() {
		BeforeEach(func() { requirement("G-6.7") })
		It("the same call twice", func() { s.replay() })
	})
}

// mustRefuse sends a hostile call and requires a plain refusal, with the
// profile's exact status and text where it lists them.
func (s *suite) mustRefuse(h hostileCase) {
	if h.needsPeer && s.t.Peer == nil {
		s.skip(h.id, h.name, "needs a second client: set the peer client's variables "+
			"(GWCERT_PEER_PASS_KEY, GWCERT_PEER_CLIENT_ID, GWCERT_PEER_CLIENT_SECRET, GWCERT_PEER_KEY)")
		return
	}
	c := h.build(s)
	c.note = h.name
	a := s.send(c)
	expected := []string{"non-2xx, plain JSON without ResponseData"}
	ok, why := plainFailure(a)
	if exp, listed := s.profile.Errors[h.id]; listed {
		expected = []string{exactText(exp.Status, exp.Text)}
		if ok {
			ok, why = exactMatch(a, exp.Status, exp.Text)
		}
	}
	if ok {
		why = fmt.Sprintf("refused with %d", a.status)
	}
	ev := &reports.Evidence{Sent: s.describe(c), Got: s.show(a), Expected: expected, Actual: s.show(a)}
	s.conclude(h.id, h.name, ok, why, ev)
}

func exactText(status int, text string) string {
	var parts []string
	if status != 0 {
		parts = append(parts, "status "+strconv.Itoa(status))
	}
	if text != "" {
		parts = append(parts, strconv.Quote(text))
	}
	return strings.Join(parts, " with statusDesc ")
}

func exactMatch(a answer, status int, text string) (bool, string) {
	if status != 0 && a.status != status {
		return false, fmt.Sprintf("refused with %d, the profile expects %d", a.status, status)
	}
	if got := statusDesc(a.body); text != "" && got != text {
		return false, fmt.Sprintf("refused with statusDesc %q, the profile expects %q", got, text)
	}
	return true, ""
}

// mustAcceptEpoch sends a valid call whose epoch sits at the edge of a
// window, and requires success.
func (s *suite) mustAcceptEpoch(b boundaryCase) {
	r := s.firstRoute()
	c := validCall(s.t.Primary, r.Method, r.Path, r.Payload, b.epoch(s))
	c.note = b.name
	a := s.send(c)
	ok := a.err == nil && a.status >= 200 && a.status <= 299
	ev := &reports.Evidence{Sent: s.describe(c), Got: s.show(a), Expected: []string{"2xx"}, Actual: s.show(a)}
	s.conclude(b.id, b.name, ok, "answered "+outcome(a), ev)
}

// replay sends one valid call twice. Only a profile that claims replay
// detection is judged; otherwise the outcome is reported as INFO.
func (s *suite) replay() {
	r := s.firstRoute()
	c := validCall(s.t.Primary, r.Method, r.Path, r.Payload, s.now().Unix())
	first, second := s.send(c), s.send(c)
	refused, _ := plainFailure(second)
	if first.err != nil || first.status < 200 || first.status > 299 {
		ev := &reports.Evidence{Sent: s.describe(c), Got: "first: " + s.show(first),
			Expected: []string{"first 2xx, second refused"}, Actual: s.show(first)}
		s.conclude("G-6.7", "the same call twice", false, "the first, valid call was not accepted: "+outcome(first), ev)
		return
	}
	ev := &reports.Evidence{Sent: s.describe(c), Got: "first: " + s.show(first) + "\nsecond: " + s.show(second),
		Expected: []string{"first 2xx, second refused"}, Actual: s.show(second)}
	what := "the replay was accepted"
	if refused {
		what = "the replay was refused"
	}
	if !s.profile.ReplayDetection {
		c := titled("G-6.7", reports.Info, what+" (the profile does not claim replay detection)", ev)
		s.record(c)
		return
	}
	s.conclude("G-6.7", "the same call twice", refused, what, ev)
}

// hostileCases is the catalogue of calls that section 6 requires a
// gateway to refuse.
func hostileCases() []hostileCase {
	cases := append(append(passKeyCases(), headerCases()...), append(epochCases(), bodyCases()...)...)
	return append(cases, malformedCases()...)
}

func passKeyCases() []hostileCase {
	return []hostileCase{
		{"G-6.1", "a call without pass_key", false, func(s *suite) call {
			c := s.valid()
			c.passKey = nil
			return c
		}},
		{"G-6.1", "an unknown pass_key", false, func(s *suite) call {
			c := s.valid()
			c.passKey = str("GWCERTUNKNOWNPASSKEY2345672345672345672345672345672345")
			return c
		}},
		{"G-6.1", "an empty pass_key", false, func(s *suite) call {
			c := s.valid()
			c.passKey = str("")
			return c
		}},
		{"G-6.2", "a call without header_secrets", false, func(s *suite) call {
			c := s.valid()
			c.headerSecrets = nil
			return c
		}},
		{"G-6.2", "an empty header_secrets", false, func(s *suite) call {
			c := s.valid()
			c.headerSecrets = str("")
			return c
		}},
	}
}

func headerCases() []hostileCase {
	h := func(name string, build func(s *suite) string) hostileCase {
		return hostileCase{"G-6.3", name, false, func(s *suite) call {
			c := s.valid()
			c.headerSecrets = str(build(s))
			return c
		}}
	}
	cases := []hostileCase{
		h("a plaintext header_secrets (the JSON itself)", func(s *suite) string {
			return string(headerJSON(s.t.Primary, s.now().Unix()))
		}),
		h("a header sealed with a wrong key", func(s *suite) string {
			return sealText(randomCodec(s.t.Scheme), headerJSON(s.t.Primary, s.now().Unix()))
		}),
		h("a header in URL-safe base64", func(s *suite) string {
			return urlSafe(s.t.Primary.Codec, headerJSON(s.t.Primary, s.now().Unix()))
		}),
		h("a header without base64 padding", func(s *suite) string {
			return unpadded(s.t.Primary.Codec, headerJSON(s.t.Primary, s.now().Unix()))
		}),
		h("a truncated header token", func(s *suite) string {
			return truncated(sealText(s.t.Primary.Codec, headerJSON(s.t.Primary, s.now().Unix())))
		}),
		h(`a header naming "Client_id"`, func(s *suite) string {
			j := strings.Replace(string(headerJSON(s.t.Primary, s.now().Unix())), `"client_id"`, `"Client_id"`, 1)
			return sealText(s.t.Primary.Codec, []byte(j))
		}),
		h("a header without client_secret", func(s *suite) string {
			j := fmt.Sprintf(`{"client_id":%q,"epoch":"%d"}`, s.t.Primary.Cred.ClientID, s.now().Unix())
			return sealText(s.t.Primary.Codec, []byte(j))
		}),
		h("a header with an extra member", func(s *suite) string {
			j := strings.TrimSuffix(string(headerJSON(s.t.Primary, s.now().Unix())), "}") + `,"role":"admin"}`
			return sealText(s.t.Primary.Codec, []byte(j))
		}),
		h("a header whose epoch is a number", func(s *suite) string {
			j := envelope.AppendHeaderJSON(nil, s.t.Primary.Cred.ClientID, s.t.Primary.Cred.ClientSecret, s.now().Unix())
			n := strings.Replace(string(j), `"epoch":"`, `"epoch":`, 1)
			return sealText(s.t.Primary.Codec, []byte(strings.TrimSuffix(n, `"}`)+"}"))
		}),
		h("a header that opens to text, not JSON", func(s *suite) string {
			return sealText(s.t.Primary.Codec, []byte("client_id=x&client_secret=y"))
		}),
	}
	return append(cases,
		hostileCase{"G-6.3", "a header sealed with another client's key", true, func(s *suite) call {
			c := s.valid()
			c.headerSecrets = str(sealText(s.t.Peer.Codec, headerJSON(s.t.Primary, s.now().Unix())))
			return c
		}},
		hostileCase{"G-6.3", "another client's pass_key with this client's header", true, func(s *suite) call {
			c := s.valid()
			c.passKey = str(s.t.Peer.Cred.PassKey)
			return c
		}},
		hostileCase{"G-6.4", "another client's ids sealed with this client's key", true, func(s *suite) call {
			return s.withHeader(headerJSON(s.t.Peer, s.now().Unix()))
		}},
		hostileCase{"G-6.4", "a wrong client_secret", false, func(s *suite) call {
			cl := s.t.Primary
			return s.withHeader(envelope.AppendHeaderJSON(nil, cl.Cred.ClientID, "gwcert-wrong-secret", s.now().Unix()))
		}},
		hostileCase{"G-6.4", "an unknown client_id", false, func(s *suite) call {
			cl := s.t.Primary
			return s.withHeader(envelope.AppendHeaderJSON(nil, "gwcert-unknown-client", cl.Cred.ClientSecret, s.now().Unix()))
		}},
	)
}

func epochCases() []hostileCase {
	at := func(id, name string, epoch func(s *suite) int64) hostileCase {
		return hostileCase{id, name, false, func(s *suite) call { return s.withEpoch(epoch(s)) }}
	}
	return []hostileCase{
		at("G-6.5", "an epoch one second past the window", func(s *suite) int64 {
			return s.now().Add(-s.profile.EpochWindow - time.Second - s.margin).Unix()
		}),
		at("G-6.5", "an epoch a day old", func(s *suite) int64 { return s.now().Add(-24 * time.Hour).Unix() }),
		at("G-6.5", "epoch zero", func(s *suite) int64 { return 0 }),
		at("G-6.6", "a millisecond epoch (13 digits)", func(s *suite) int64 { return s.now().UnixMilli() }),
		at("G-6.6", "an epoch a day ahead", func(s *suite) int64 { return s.now().Add(24 * time.Hour).Unix() }),
		at("G-6.6", "an epoch one second past the future skew", func(s *suite) int64 {
			return s.now().Add(s.profile.MaxFutureSkew + time.Second + s.margin).Unix()
		}),
	}
}

func boundaryCases() []boundaryCase {
	return []boundaryCase{
		{"G-6.5", "an epoch exactly at the window's edge (less the clock margin)", func(s *suite) int64 {
			return s.now().Add(-s.profile.EpochWindow + s.margin).Unix()
		}},
		{"G-6.6", "an epoch exactly at the future skew (less the clock margin)", func(s *suite) int64 {
			return s.now().Add(s.profile.MaxFutureSkew - s.margin).Unix()
		}},
	}
}

func bodyCases() []hostileCase {
	b := func(id, name string, body func(s *suite) []byte) hostileCase {
		return hostileCase{id, name, false, func(s *suite) call {
			c := s.valid()
			c.body = body(s)
			return c
		}}
	}
	payload := func(s *suite) []byte { return s.firstRoute().Payload }
	return []hostileCase{
		b("G-6.8", "a plaintext body (the payload itself)", payload),
		b("G-6.8", "a body without RequestData", func(*suite) []byte { return []byte(`{}`) }),
		b("G-6.8", "RequestData as a number", func(*suite) []byte { return bodyWith(12345) }),
		b("G-6.8", "RequestData as null", func(*suite) []byte { return []byte(`{"RequestData":null}`) }),
		b("G-6.8", "RequestData as an object", func(*suite) []byte { return bodyWith(map[string]int{"a": 1}) }),
		b("G-6.8", "a body that is not JSON", func(*suite) []byte { return []byte(`RequestData=abc`) }),
		b("G-6.8", "an empty body", func(*suite) []byte { return nil }),
		b("G-6.9", "RequestData sealed with a wrong key", func(s *suite) []byte {
			return bodyWith(sealText(randomCodec(s.t.Scheme), payload(s)))
		}),
		b("G-6.9", "RequestData with bad padding (a bad tag for GCM)", func(s *suite) []byte {
			return bodyWith(badPadding(s.t.Primary, s.t.Scheme))
		}),
		b("G-6.9", "RequestData truncated", func(s *suite) []byte {
			return bodyWith(truncated(sealText(s.t.Primary.Codec, payload(s))))
		}),
		b("G-6.9", "RequestData in URL-safe base64", func(s *suite) []byte {
			return bodyWith(urlSafe(s.t.Primary.Codec, payload(s)))
		}),
		b("G-6.9", "RequestData line-wrapped", func(s *suite) []byte {
			return bodyWith(wrapped(sealText(s.t.Primary.Codec, payload(s))))
		}),
		b("G-6.9", "RequestData without base64 padding", func(s *suite) []byte {
			return bodyWith(unpadded(s.t.Primary.Codec, payload(s)))
		}),
		b("G-6.9", "RequestData holding only an IV", func(s *suite) []byte { return bodyWith(ivOnly(s.t.Scheme)) }),
		b("G-6.9", "RequestData opening to bytes that are not JSON", func(s *suite) []byte {
			return bodyWith(garbage(s.t.Primary))
		}),
		{"G-6.9", "RequestData sealed with another client's key", true, func(s *suite) call {
			c := s.valid()
			c.body = bodyWith(sealText(s.t.Peer.Codec, payload(s)))
			return c
		}},
		{"G-6.10", "a valid call to a path the gateway does not serve", false, func(s *suite) call {
			r := s.firstRoute()
			return validCall(s.t.Primary, r.Method, s.profile.UnknownPath, r.Payload, s.now().Unix())
		}},
	}
}

// valid returns a valid call to the first route.
func (s *suite) valid() call {
	r := s.firstRoute()
	return validCall(s.t.Primary, r.Method, r.Path, r.Payload, s.now().Unix())
}

// withEpoch returns a valid call whose header carries epoch.
func (s *suite) withEpoch(epoch int64) call {
	r := s.firstRoute()
	return validCall(s.t.Primary, r.Method, r.Path, r.Payload, epoch)
}

// withHeader returns a valid call whose header is plaintext sealed with
// the primary client's key.
func (s *suite) withHeader(plaintext []byte) call {
	c := s.valid()
	c.headerSecrets = str(sealText(s.t.Primary.Codec, plaintext))
	return c
}

package gateway

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
)

// declareSection7 runs the security probes of PROTOCOL.md section 7.
func declareSection7(s *suite) {
	Describe("S-7.1 no padding oracle in the answers", Label("S-7.1"), func() {
		BeforeEach(func() { requirement("S-7.1") })
		It("for RequestData", func() { s.sameAnswers("RequestData", s.bodyWithToken) })
		It("for header_secrets", func() { s.sameAnswers("header_secrets", s.headerWithToken) })
	})
	Describe("S-7.2 no padding oracle in the timing", Label("S-7.2"), func() {
		BeforeEach(func() { requirement("S-7.2") })
		It("bad padding against good padding with garbage", func() { s.timingProbe() })
	})
	Describe("S-7.3 success answers use fresh IVs", Label("S-7.3"), func() {
		BeforeEach(func() { requirement("S-7.3") })
		It("over 50 calls", func() { s.freshResponseIVs(50) })
	})
	Describe("S-7.4 no secret in any error answer", Label("S-7.4"), func() {
		BeforeEach(func() { requirement("S-7.4") })
		It("across the hostile calls of section 6", func() { s.noSecretsInErrors() })
	})
	Describe("S-7.5 malformed input never gets a 5xx", Label("S-7.5"), func() {
		BeforeEach(func() { requirement("S-7.5") })
		It("across the hostile calls of section 6", func() { s.no5xx() })
	})
	Describe("S-7.6 a body that never ends is cut off", Label("S-7.6"), func() {
		BeforeEach(func() { requirement("S-7.6") })
		It("a valid call whose body trickles in for ever", func() { s.slowSender() })
	})
}

// oracleTokens are the four defects whose answers must not differ.
func (s *suite) oracleTokens() map[string]string {
	pad := "bad padding"
	if s.t.Scheme == envelope.GCM {
		pad = "bad tag"
	}
	return map[string]string{
		pad:                                 badPadding(s.t.Primary, s.t.Scheme),
		"good padding, garbage content":     garbage(s.t.Primary),
		"a length no token can have":        wrongLength(s.t.Scheme),
		"bytes outside the base64 alphabet": "!!!!" + wrongLength(s.t.Scheme)[4:],
	}
}

func (s *suite) bodyWithToken(tok string) call {
	c := s.valid()
	c.body = bodyWith(tok)
	return c
}

func (s *suite) headerWithToken(tok string) call {
	c := s.valid()
	c.headerSecrets = str(tok)
	return c
}

// sameAnswers sends the four oracle defects in one place and requires
// byte-identical answers.
func (s *suite) sameAnswers(where string, build func(string) call) {
	var lines []string
	var first []byte
	firstStatus, same := 0, true
	tokens := s.oracleTokens()
	for _, name := range slices.Sorted(maps.Keys(tokens)) {
		a := s.send(build(tokens[name]))
		lines = append(lines, fmt.Sprintf("%s: %s (%d bytes)", name, s.show(a), len(a.body)))
		if first == nil {
			first, firstStatus = a.body, a.status
		} else if a.status != firstStatus || !bytes.Equal(a.body, first) {
			same = false
		}
	}
	ev := &reports.Evidence{Sent: "four " + where + " defects: bad padding (or tag), garbage content, " +
		"wrong length, bad base64", Got: strings.Join(lines, "\n"),
		Expected: []string{"the same status and body for all four"}}
	why := "all four got the same answer"
	if !same {
		why = "the answers differ, so a peer can tell the defects apart"
	}
	s.conclude("S-7.1", where, same, why, ev)
}

// timingProbe alternates bad-padding and garbage-content calls and
// compares their answer times. Loopback timing is noisy, so only a
// blatant separation warns: a gap of more than 2 ms that is ten times
// the spread, or that leaves every time of one side beyond every time of
// the other (for two samples of n calls from one distribution, a chance
// of 2 in C(2n, n): 1 in 92378 for n = 10). Anything else is reported as
// figures.
func (s *suite) timingProbe() {
	n := s.cfg.TimingProbes
	bad, junk := make([]float64, 0, n), make([]float64, 0, n)
	for i := 0; i < n; i++ {
		bad = append(bad, s.send(s.bodyWithToken(badPadding(s.t.Primary, s.t.Scheme))).dur.Seconds())
		junk = append(junk, s.send(s.bodyWithToken(garbage(s.t.Primary))).dur.Seconds())
	}
	mb, mj := median(bad), median(junk)
	spread := math.Max(mad(bad, mb), mad(junk, mj))
	gap := math.Abs(mb - mj)
	sep := gap / math.Max(spread, 1e-6)
	figures := fmt.Sprintf("medians %s (bad padding) and %s (garbage), gap %s, %.1f times the spread, %d calls each",
		secs(mb), secs(mj), secs(gap), sep, n)
	ev := &reports.Evidence{Sent: "alternating calls with bad padding and with garbage content",
		Actual: figures, Expected: []string{"no separation beyond the noise"}}
	c := titled("S-7.2", reports.Info, "no blatant separation: "+figures, ev)
	if (sep > 10 || disjoint(bad, junk)) && gap > 0.002 {
		c.Verdict, c.Reason = reports.Warn, "the timings separate the two defects: "+figures
	}
	s.record(c)
}

// disjoint reports whether every value of a lies beyond every value of
// b, or every value of b beyond every value of a.
func disjoint(a, b []float64) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return slices.Min(a) > slices.Max(b) || slices.Min(b) > slices.Max(a)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func mad(xs []float64, m float64) float64 {
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return median(d)
}

func secs(v float64) string { return time.Duration(v * float64(time.Second)).String() }

// freshResponseIVs makes n valid calls and requires every success
// answer's IV to be new and not all zero.
func (s *suite) freshResponseIVs(n int) {
	seen := map[string]int{}
	var problems []string
	r := s.firstRoute()
	for i := 0; i < n; i++ {
		a := s.send(validCall(s.t.Primary, r.Method, r.Path, r.Payload, s.now().Unix()))
		iv, err := responseIV(a, s.t.Scheme)
		if err != nil {
			problems = append(problems, fmt.Sprintf("call %d: %v", i+1, err))
			continue
		}
		if prev, dup := seen[iv]; dup {
			problems = append(problems, fmt.Sprintf("call %d reused the IV of call %d (%s)", i+1, prev, iv))
		}
		if strings.Trim(iv, "0") == "" {
			problems = append(problems, fmt.Sprintf("call %d used an all-zero IV", i+1))
		}
		seen[iv] = i + 1
	}
	ev := &reports.Evidence{Sent: fmt.Sprintf("%d valid calls to %s", n, r.Path),
		Expected: []string{fmt.Sprintf("%d distinct, non-zero IVs", n)},
		Actual:   fmt.Sprintf("%d distinct IVs; %s", len(seen), strings.Join(first(problems, 5), "; "))}
	why := fmt.Sprintf("%d success answers, %d distinct IVs", n, len(seen))
	if len(problems) > 0 {
		why = problems[0]
	}
	s.conclude("S-7.3", "", len(problems) == 0, why, ev)
}

// responseIV returns the hex IV of a success answer's ResponseData.
func responseIV(a answer, scheme envelope.Scheme) (string, error) {
	if a.err != nil || a.status < 200 || a.status > 299 {
		return "", fmt.Errorf("no success answer (%s)", outcome(a))
	}
	tok, err := envelope.TokenMember(a.body, envelope.ResponseDataMember)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(string(tok))
	if err != nil || len(raw) < scheme.IVSize() {
		return "", fmt.Errorf("ResponseData is not a token")
	}
	return fmt.Sprintf("%x", raw[:scheme.IVSize()]), nil
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

// hostileSweep sends every hostile call of section 6 that the target's
// clients allow and hands each answer to look.
func (s *suite) hostileSweep(look func(h hostileCase, c call, a answer)) int {
	n := 0
	for _, h := range hostileCases() {
		if h.needsPeer && s.t.Peer == nil {
			continue
		}
		c := h.build(s)
		c.note = h.name
		look(h, c, s.send(c))
		n++
	}
	return n
}

// noSecretsInErrors requires that no answer carries a key, a client
// secret, a pass key or the decrypted header.
func (s *suite) noSecretsInErrors() {
	var leaks []string
	header := string(headerJSON(s.t.Primary, s.now().Unix()))
	n := s.hostileSweep(func(h hostileCase, c call, a answer) {
		body := string(a.body)
		for _, sec := range s.secrets {
			if len(sec) >= 8 && strings.Contains(body, sec) {
				leaks = append(leaks, h.name+": the answer holds a secret (redacted here)")
			}
		}
		if strings.Contains(body, header[:len(header)-12]) {
			leaks = append(leaks, h.name+": the answer holds the decrypted header")
		}
	})
	ev := &reports.Evidence{Sent: fmt.Sprintf("%d hostile calls of section 6", n),
		Expected: []string{"no key, client secret, pass key or decrypted header in any answer"},
		Actual:   strings.Join(first(leaks, 5), "\n")}
	why := fmt.Sprintf("%d answers checked", n)
	if len(leaks) > 0 {
		why = leaks[0]
	}
	s.conclude("S-7.4", "", len(leaks) == 0, why, ev)
}

// no5xx requires a 4xx answer to every hostile call.
func (s *suite) no5xx() {
	var bad []string
	n := s.hostileSweep(func(h hostileCase, c call, a answer) {
		if a.err != nil || a.status >= 500 {
			bad = append(bad, fmt.Sprintf("%s: %s", h.name, s.show(a)))
		}
	})
	after := s.send(s.valid())
	if after.err != nil || after.status < 200 || after.status > 299 {
		bad = append(bad, "a valid call after the sweep: "+s.show(after))
	}
	ev := &reports.Evidence{Sent: fmt.Sprintf("%d hostile calls of section 6, then a valid one", n),
		Expected: []string{"a 4xx answer to each, and the gateway still serving"}, Actual: strings.Join(first(bad, 5), "\n")}
	why := fmt.Sprintf("%d hostile calls, none answered 5xx or dropped", n)
	if len(bad) > 0 {
		why = bad[0]
	}
	s.conclude("S-7.5", "", len(bad) == 0, why, ev)
}

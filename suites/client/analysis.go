package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gwcert/gwcert/envelope"
)

// analysis is a session decoded once for all the checks: every call's
// headers, opened header_secrets and opened RequestData.
type analysis struct {
	s       *Session
	w       *world
	calls   []*callView
	byStep  [][]*callView // the calls that arrived while each step was fed
	outside []*callView   // calls before the first step or after the last
}

// callView is one call, decoded.
type callView struct {
	c            *Call
	where        string // "s03", or "call 4 (after the last step)"
	passKeys     []string
	contentTypes []string
	header       headerView
	body         bodyView
}

// headerView is what a header_secrets value holds.
type headerView struct {
	count   int    // how many header_secrets values the call carried
	token   string // the first one
	opened  bool   // it decoded, at least leniently, and opened with the key
	openErr error  // why it did not open
	plain   bool   // it is a JSON object as it stands: sent unencrypted
	members []member
	// notObject says the opened or plain text is not one JSON object.
	notObject bool
	iv        []byte // the IV of the decoded token
}

// member is one member of a JSON object, in the order written.
type member struct {
	name  string
	value json.RawMessage
}

// bodyView is what a request body holds.
type bodyView struct {
	problem string // why it is not {"RequestData": "<string>"}; "" when it is
	token   string
	payload []byte // the opened RequestData
	openErr error
	iv      []byte
}

// analyse decodes the session's calls; it runs once per session.
func (s *Session) analyse() *analysis {
	s.once.Do(func() { s.analysed = newAnalysis(s) })
	return s.analysed
}

func newAnalysis(s *Session) *analysis {
	a := &analysis{s: s, w: s.w, byStep: make([][]*callView, len(s.Steps))}
	for i := range s.Calls {
		cv := a.view(&s.Calls[i])
		a.calls = append(a.calls, cv)
		if c := cv.c; c.Step >= 0 && c.Step < len(s.Steps) {
			a.byStep[c.Step] = append(a.byStep[c.Step], cv)
		} else {
			a.outside = append(a.outside, cv)
		}
	}
	return a
}

func (a *analysis) view(c *Call) *callView {
	cv := &callView{c: c, where: a.where(c)}
	h := c.Exchange.Headers
	cv.passKeys = headerValues(h, envelope.HeaderPassKey)
	cv.contentTypes = headerValues(h, "Content-Type")
	cv.header = a.viewHeader(headerValues(h, envelope.HeaderSecretsName))
	cv.body = a.viewBody(c.Body)
	return cv
}

// where names a call by its step; a call outside the steps by its place.
func (a *analysis) where(c *Call) string {
	switch {
	case c.Step < 0:
		return fmt.Sprintf("call %d (before the first step)", c.Seq+1)
	case c.Step >= len(a.s.Steps):
		return fmt.Sprintf("call %d (after the last step)", c.Seq+1)
	}
	id := a.s.Steps[c.Step].ID
	if n := a.callsBefore(c); n > 0 {
		return fmt.Sprintf("%s (call %d of the step)", id, n+1)
	}
	return id
}

// callsBefore counts the earlier calls of the same step.
func (a *analysis) callsBefore(c *Call) int {
	n := 0
	for _, o := range a.s.Calls[:c.Seq] {
		if o.Step == c.Step {
			n++
		}
	}
	return n
}

// headerValues returns every value of the header name, matched without
// regard to case as HTTP names are.
func headerValues(h map[string][]string, name string) []string {
	var out []string
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}

func (a *analysis) viewHeader(values []string) headerView {
	h := headerView{count: len(values)}
	if len(values) == 0 {
		return h
	}
	h.token = values[0]
	var text []byte
	text, h.iv, h.openErr = a.open(h.token)
	if h.openErr == nil {
		h.opened = true
	} else if t := strings.TrimSpace(h.token); strings.HasPrefix(t, "{") {
		h.plain, text = true, []byte(t)
	}
	if text != nil {
		h.members, h.notObject = objectMembers(text)
	}
	return h
}

func (a *analysis) viewBody(body []byte) bodyView {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return bodyView{problem: "the body is not a JSON object"}
	}
	rd, ok := doc[envelope.RequestDataMember]
	var b bodyView
	if !ok || json.Unmarshal(rd, &b.token) != nil {
		return bodyView{problem: `the body has no string "RequestData"`}
	}
	b.payload, b.iv, b.openErr = a.open(b.token)
	return b
}

// open decodes a token leniently and opens it with the client's key,
// returning the plaintext and the token's IV. Lenient decoding (line
// breaks dropped, URL-safe characters mapped, padding added) lets the
// checks read what a client meant even where C-2.1 refuses how it wrote
// it.
func (a *analysis) open(token string) (plaintext, iv []byte, err error) {
	raw, ok := lenientDecode(token)
	if !ok {
		return nil, nil, fmt.Errorf("not base64 in any alphabet")
	}
	if n := a.w.scheme.IVSize(); len(raw) >= n {
		iv = raw[:n]
	}
	pt, err := a.w.codec.Open(base64.StdEncoding.EncodeToString(raw))
	if err != nil {
		return nil, iv, fmt.Errorf("does not open with the client's key (%s)", envelope.KindOf(err))
	}
	return pt, iv, nil
}

// lenientDecode decodes standard or URL-safe base64, with or without
// padding, ignoring whitespace and line breaks.
func lenientDecode(token string) ([]byte, bool) {
	t := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, token)
	t = strings.TrimRight(t, "=")
	raw, err := base64.RawStdEncoding.DecodeString(t)
	return raw, err == nil && len(raw) > 0
}

// objectMembers returns the members of a JSON object in the order
// written, repeats included, and reports whether text is not one object.
func objectMembers(text []byte) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(text))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, true
	}
	var out []member
	for dec.More() {
		name, err := dec.Token()
		var value json.RawMessage
		if err != nil || dec.Decode(&value) != nil {
			return nil, true
		}
		out = append(out, member{name: name.(string), value: value})
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, true
	}
	if _, err := dec.Token(); err == nil {
		return nil, true // more after the object
	}
	return out, false
}

// member returns the value of the member named name, matched without
// regard to case, and whether there is one.
func (h headerView) member(name string) (json.RawMessage, bool) {
	for _, m := range h.members {
		if strings.EqualFold(m.name, name) {
			return m.value, true
		}
	}
	return nil, false
}

// readable reports whether the header's members can be read.
func (h headerView) readable() bool { return (h.opened || h.plain) && !h.notObject }

// shown is the header as evidence shows it: its JSON with the client
// secret replaced by [redacted], or what it is when it cannot be read.
// The value as sent is never shown unless it opened with the key.
func (a *analysis) shownHeader(h headerView) string {
	switch {
	case h.count == 0:
		return "(none)"
	case h.opened && h.notObject:
		return fmt.Sprintf("%s (%d characters), opens to text that is not a JSON object "+
			"(not shown)", tokenHead(h.token), len(h.token))
	case h.opened:
		return fmt.Sprintf("%s (%d characters), opens to %s", tokenHead(h.token), len(h.token),
			a.redactedMembers(h.members))
	case h.plain && !h.notObject:
		return fmt.Sprintf("(%d characters, not a token) reads %s", len(h.token),
			a.redactedMembers(h.members))
	}
	return fmt.Sprintf("(%d characters that are not a token of the client's key: %v; not shown)",
		len(h.token), h.openErr)
}

// redactedMembers writes members as a JSON object with the client
// secret, and any member holding a secret, replaced by [redacted].
func (a *analysis) redactedMembers(ms []member) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(m.name)
		b.Write(name)
		b.WriteByte(':')
		if a.secretMember(m) {
			b.WriteString(`"[redacted]"`)
		} else {
			b.Write(compact(m.value))
		}
	}
	b.WriteByte('}')
	return cut(a.w.scrub(b.String()), maxShownLine)
}

// secretMember reports whether a member is, or holds, the client secret.
func (a *analysis) secretMember(m member) bool {
	if strings.EqualFold(m.name, "client_secret") {
		return true
	}
	var s string
	return json.Unmarshal(m.value, &s) == nil && a.w.scrub(s) != s
}

func compact(v json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return v
	}
	return b.Bytes()
}

// tokenHead shows the start of a token: enough to recognise it.
func tokenHead(token string) string {
	if len(token) <= 20 {
		return token
	}
	return token[:16] + "…"
}

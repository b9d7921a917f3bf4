package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/internal/target"
)

// call is one request the suite sends. Its note says in words what was
// done to it; evidence shows the note, never the secrets inside.
type call struct {
	method, path  string
	passKey       *string // nil: header left out
	headerSecrets *string // nil: header left out
	body          []byte
	note          string
	extra         http.Header // further header lines, sent as written (repeats included)
}

// answer is what came back.
type answer struct {
	status int
	body   []byte
	dur    time.Duration
	err    error // transport failure: no answer at all
}

func str(s string) *string { return &s }

// validCall returns a correctly sealed call from c to path.
func validCall(c *target.Client, method, path string, payload []byte, epoch int64) call {
	var r envelope.Request
	if err := c.Codec.SealRequestAt(&r, c.Cred, epoch, payload); err != nil {
		panic(fmt.Sprintf("sealing a valid call: %v", err))
	}
	return call{method: method, path: path, passKey: str(c.Cred.PassKey),
		headerSecrets: str(string(r.HeaderSecrets)), body: r.Body, note: "valid call"}
}

// send makes the call against the target with a deadline.
func (s *suite) send(c call) answer {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, s.t.URL+c.path, bytes.NewReader(c.body))
	if err != nil {
		return answer{err: err}
	}
	req.Header = c.header()
	start := time.Now()
	resp, err := s.t.HTTP.Do(req)
	if err != nil {
		return answer{err: err, dur: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return answer{status: resp.StatusCode, body: body, dur: time.Since(start), err: err}
}

// header is the call's header lines as sent: names in the protocol's
// lower case, repeats included.
func (c call) header() http.Header {
	h := http.Header{"Content-Type": {envelope.ContentTypeJSON}}
	if c.passKey != nil {
		h[envelope.HeaderPassKey] = []string{*c.passKey}
	}
	if c.headerSecrets != nil {
		h[envelope.HeaderSecretsName] = []string{*c.headerSecrets}
	}
	for name, values := range c.extra {
		h[name] = append(h[name], values...)
	}
	return h
}

// describe renders a call for evidence: method, path, the headers as
// sent with the pass key masked and tokens shortened, and the note.
func (s *suite) describe(c call) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)", c.method, c.path, c.note)
	if c.passKey == nil {
		b.WriteString("\npass_key: (not sent)")
	} else {
		fmt.Fprintf(&b, "\npass_key: %s", envelope.MaskPassKey(*c.passKey))
	}
	if c.headerSecrets == nil {
		b.WriteString("\nheader_secrets: (not sent)")
	} else {
		fmt.Fprintf(&b, "\nheader_secrets: %s", shorten(s.redact(*c.headerSecrets), 60))
	}
	fmt.Fprintf(&b, "\nbody: %s", shorten(s.redact(string(c.body)), 160))
	return b.String()
}

// show renders an answer for evidence, with any secret of the target's
// clients the gateway may have echoed replaced.
func (s *suite) show(a answer) string {
	if a.err != nil {
		return "no answer: " + a.err.Error()
	}
	return fmt.Sprintf("%d %s", a.status, shorten(s.redact(string(a.body)), 400))
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d bytes)", len(s))
}

// plainFailure reports whether a is a refusal as PROTOCOL.md section 5
// requires: non-2xx, plain JSON, no ResponseData member.
func plainFailure(a answer) (bool, string) {
	switch {
	case a.err != nil:
		return false, "no answer: " + a.err.Error()
	case a.status >= 200 && a.status <= 299:
		return false, fmt.Sprintf("accepted with %d", a.status)
	case !json.Valid(a.body):
		return false, fmt.Sprintf("refused with %d but the body is not JSON", a.status)
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(a.body, &members) == nil {
		if _, ok := members[envelope.ResponseDataMember]; ok {
			return false, fmt.Sprintf("refused with %d but the error is encrypted (ResponseData)", a.status)
		}
	}
	return true, ""
}

// statusDesc returns the statusDesc member of a failure body, if any.
func statusDesc(body []byte) string {
	var doc struct {
		StatusDesc string `json:"statusDesc"`
	}
	json.Unmarshal(body, &doc)
	return doc.StatusDesc
}

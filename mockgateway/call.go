package mockgateway

import (
	"encoding/base64"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// call is the state of one request on its way through the checks. Calls
// are pooled with their buffers, so the hot path allocates little.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	start time.Time // wall clock, for the duration
	now   time.Time // Config.Clock, for epochs and the record

	passKey, secrets headerValue
	client           *client
	header           envelope.HeaderSecrets
	opened           bool // header_secrets opened to the three members
	idOK, secretOK   bool
	epoch            int64

	body      []byte // the request body; buffer kept across calls
	bodyRead  bool
	token     []byte // RequestData token, aliasing body
	payload   []byte // opened RequestData; buffer kept across calls
	payloadOK bool   // payload is JSON

	answer   Answer
	scripted bool
	fault    string
	verdicts []Verdict
	failed   Check
	panicked string

	out      []byte // sealed answer; buffer kept across calls
	status   int
	sent     []byte // the answer body written
	sealed   bool
	finished bool // recorded and logged
}

// keptBytes is the largest buffer a pooled call keeps between calls.
const keptBytes = 64 << 10

func newCall() *call {
	return &call{
		verdicts: make([]Verdict, 0, CheckHandler),
		body:     make([]byte, 0, 4096),
		payload:  make([]byte, 0, 2048),
		out:      make([]byte, 0, 4096),
	}
}

func (c *call) begin(w http.ResponseWriter, r *http.Request) {
	c.w, c.r, c.start = w, r, time.Now()
}

// release clears c for the pool, keeping buffers of reasonable size.
func (c *call) release() {
	*c = call{
		verdicts: c.verdicts[:0],
		body:     reuse(c.body),
		payload:  reuse(c.payload),
		out:      reuse(c.out),
	}
}

func reuse(b []byte) []byte {
	if cap(b) > keptBytes {
		return nil
	}
	return b[:0]
}

func (c *call) pass(check Check) {
	c.verdicts = append(c.verdicts, Verdict{Check: check, Name: check.String(), Pass: true})
}

// exchange builds the record of the call.
func (g *Gateway) exchange(c *call, d time.Duration) Exchange {
	r := c.r
	ex := Exchange{
		Time: c.now, Duration: d,
		Method: r.Method, Path: r.URL.Path, RemoteAddr: r.RemoteAddr,
		Headers:  maskedHeaders(r.Header),
		Checks:   slices.Clone(c.verdicts),
		Failed:   c.failed,
		Scripted: c.scripted,
		Fault:    c.fault,
		Status:   c.status,
	}
	var cut [4]bool
	if c.bodyRead {
		ex.Body, cut[0] = capped(c.body)
		ex.BodyBytes = len(c.body)
	}
	if c.token != nil {
		tok, t := capped(c.token)
		ex.RequestData, cut[1] = string(tok), t
	}
	if c.payloadOK {
		ex.Payload, cut[2] = capped(c.payload)
	}
	ex.Answer, cut[3] = capped(c.sent)
	ex.Truncated = cut != [4]bool{}
	g.recordClient(&ex, c)
	return ex
}

// recordClient adds what the call showed of its client.
func (g *Gateway) recordClient(ex *Exchange, c *call) {
	if c.client != nil {
		ex.Client = c.client.name
	}
	if c.opened {
		ex.Header = HeaderRecord{Opened: true, ClientID: c.header.ClientID,
			Epoch: c.header.Epoch, IDMatched: c.idOK, SecretMatched: c.secretOK}
	}
	if c.sealed {
		ex.ResponseIV = responseIV(c.sent, g.scheme.IVSize())
	}
}

// responseIV returns the IV at the start of the token in a sealed
// answer {"ResponseData":"<token>"}.
func responseIV(answer []byte, size int) []byte {
	prefix := len(`{"` + envelope.ResponseDataMember + `":"`)
	chars := (size + 2) / 3 * 4
	if len(answer) < prefix+chars {
		return nil
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(chars))
	n, err := base64.StdEncoding.Decode(raw, answer[prefix:prefix+chars])
	if err != nil || n < size {
		return nil
	}
	return raw[:size]
}

// outcomeAttrs are the log attributes that say how the call ended.
func (c *call) outcomeAttrs() []slog.Attr {
	var attrs []slog.Attr
	if c.client != nil {
		attrs = append(attrs, slog.String("client", c.client.name))
	}
	if c.failed != 0 && len(c.verdicts) > 0 {
		v := c.verdicts[len(c.verdicts)-1]
		attrs = append(attrs, slog.Int("check", int(c.failed)),
			slog.String("check_name", v.Name), slog.String("reason", v.Reason))
	}
	if c.scripted {
		attrs = append(attrs, slog.Bool("scripted", true))
	}
	if c.fault != "" {
		attrs = append(attrs, slog.String("fault", c.fault))
	}
	if c.panicked != "" {
		attrs = append(attrs, slog.String("panic", c.panicked))
	}
	return attrs
}

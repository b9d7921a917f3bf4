package mockgateway

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// respond answers a call that passed the checks with its route's or its
// script's answer: sealed for a 2xx, plain otherwise.
func (g *Gateway) respond(c *call) {
	a := c.answer
	doc := []byte(a.JSON)
	if doc == nil {
		doc = c.payload
	}
	if a.Plain || !is2xx(a.Status) {
		c.pass(CheckHandler)
		g.write(c, a.Status, doc)
		return
	}
	out, err := c.client.codec.AppendSealResponse(c.out[:0], doc)
	if err != nil {
		g.failHandler(c, "sealing failed")
		return
	}
	c.out, c.sealed = out, true
	c.pass(CheckHandler)
	g.write(c, a.Status, out)
}

// fail answers the call with the failure of kind k.
func (g *Gateway) fail(c *call, k failKind) {
	if k <= failKind(CheckRoute) {
		c.failed = Check(k)
	}
	f := &failures[k]
	g.write(c, f.status, f.body)
}

// failHandler answers a call whose route could not answer with a 500.
func (g *Gateway) failHandler(c *call, reason string) {
	c.verdicts = append(c.verdicts, Verdict{Check: CheckHandler, Name: CheckHandler.String(),
		Reason: reason})
	c.failed = CheckHandler
	g.fail(c, kindInternal)
}

// write records and logs the exchange, then sends the answer: status,
// JSON body and its length. Recording first means that a client which
// has its answer finds the exchange in the recorder.
func (g *Gateway) write(c *call, status int, body []byte) {
	c.status, c.sent = status, body
	g.finish(c)
	h := c.w.Header()
	h["Content-Type"] = []string{envelope.ContentTypeJSON}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.w.WriteHeader(status)
	c.w.Write(body) // a failed write means the client left; nothing is left to tell it
}

// finish records and logs the exchange, once.
func (g *Gateway) finish(c *call) {
	if c.finished {
		return
	}
	c.finished = true
	d := time.Since(c.start)
	if g.rec != nil {
		g.rec.add(g.exchange(c, d))
	}
	g.logExchange(c, d)
}

// logExchange writes the exchange's one log line. It names the client
// and shows the pass key masked; it never holds a key, a secret or
// anything of header_secrets.
func (g *Gateway) logExchange(c *call, d time.Duration) {
	ctx := c.r.Context()
	level := slog.LevelInfo
	if c.panicked != "" {
		level = slog.LevelError
	}
	if !g.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.r.Method),
		slog.String("path", c.r.URL.Path),
		slog.Int("status", c.status),
		slog.Duration("duration", d),
	}
	if c.passKey.n > 0 {
		attrs = append(attrs, slog.String("pass_key", envelope.MaskPassKey(c.passKey.value)))
	}
	attrs = append(attrs, c.outcomeAttrs()...)
	g.log.LogAttrs(ctx, level, "exchange", attrs...)
}

package mockgateway

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/gwcert/gwcert/envelope"
)

// step is one check: it reports whether the call passed and, if not,
// why (for the recorder and the log, never for the peer).
type step func(g *Gateway, c *call) (ok bool, reason string)

// pipeline holds the checks 1 to 10 in their order.
var pipeline = [...]step{
	(*Gateway).checkPassKey,
	(*Gateway).checkHeaderPresent,
	(*Gateway).checkHeaderSecrets,
	(*Gateway).checkCredentials,
	(*Gateway).checkEpochAge,
	(*Gateway).checkEpochFuture,
	(*Gateway).checkReplay,
	(*Gateway).checkBody,
	(*Gateway).checkRequestData,
	(*Gateway).checkRoute,
}

// runChecks runs the pipeline, records each verdict and returns the kind
// of the first failure, or 0.
func (g *Gateway) runChecks(c *call) failKind {
	c.passKey, c.secrets = wireHeaders(c.r.Header)
	for i, check := range pipeline {
		ok, reason := check(g, c)
		n := Check(i + 1)
		c.verdicts = append(c.verdicts,
			Verdict{Check: n, Name: n.String(), Pass: ok, Reason: reason})
		if !ok {
			return failKind(n)
		}
	}
	return 0
}

// Reasons of failed checks.
const (
	reasonAbsent   = "absent"
	reasonConflict = "sent more than once with different values"
)

// kindReason names the envelope rule an error broke.
func kindReason(err error) string {
	if k := envelope.KindOf(err); k != "" {
		return string(k)
	}
	return "undecodable"
}

// checkPassKey is check 1: pass_key present and known.
func (g *Gateway) checkPassKey(c *call) (bool, string) {
	switch {
	case c.passKey.n == 0:
		return false, reasonAbsent
	case c.passKey.conflict:
		return false, reasonConflict
	}
	if c.client = g.lookup(c.passKey.value); c.client == nil {
		return false, "unknown"
	}
	return true, ""
}

// checkHeaderPresent is check 2: header_secrets present and not empty.
func (g *Gateway) checkHeaderPresent(c *call) (bool, string) {
	switch {
	case c.secrets.n == 0:
		return false, reasonAbsent
	case c.secrets.value == "":
		return false, "empty"
	}
	return true, ""
}

// checkHeaderSecrets is check 3: the token opens with the client's key to
// an object of exactly the three string members.
func (g *Gateway) checkHeaderSecrets(c *call) (bool, string) {
	if c.secrets.conflict {
		return false, reasonConflict
	}
	h, err := openHeader(c.client, c.secrets.value)
	if err != nil {
		return false, kindReason(err)
	}
	c.header, c.opened = h, true
	return true, ""
}

// checkCredentials is check 4: client id and secret are the pass key's.
func (g *Gateway) checkCredentials(c *call) (bool, string) {
	c.idOK, c.secretOK = c.client.matches(c.header.ClientID, c.header.ClientSecret)
	switch {
	case !c.idOK && !c.secretOK:
		return false, "client_id and client_secret do not match"
	case !c.idOK:
		return false, "client_id does not match"
	case !c.secretOK:
		return false, "client_secret does not match"
	}
	return true, ""
}

// checkEpochAge is check 5: the epoch is decimal seconds and at most the
// window old.
func (g *Gateway) checkEpochAge(c *call) (bool, string) {
	epoch, err := c.header.Unix()
	if err != nil {
		return false, "not decimal seconds"
	}
	c.epoch = epoch
	if c.now.Unix()-epoch > g.window {
		return false, "older than the epoch window"
	}
	return true, ""
}

// checkEpochFuture is check 6: the epoch is at most the skew ahead.
func (g *Gateway) checkEpochFuture(c *call) (bool, string) {
	if c.epoch-c.now.Unix() <= g.skew {
		return true, ""
	}
	if len(c.header.Epoch) == 13 {
		return false, "ahead by more than the future skew (13 digits: milliseconds?)"
	}
	return false, "ahead by more than the future skew"
}

// checkReplay is check 7: the token was not seen while inside the window.
func (g *Gateway) checkReplay(c *call) (bool, string) {
	if g.replay == nil {
		return true, "not checked: replay detection is off"
	}
	if g.replay.seenBefore(c.secrets.value, c.epoch+g.window, c.now.Unix()) {
		return false, "token seen before"
	}
	return true, ""
}

// checkBody is check 8: the body is at most MaxBodyBytes and a JSON
// object with a string RequestData.
func (g *Gateway) checkBody(c *call) (bool, string) {
	const tooLarge = "larger than the body limit"
	if c.r.ContentLength > g.maxBody {
		return false, tooLarge
	}
	body, err := readBody(c.body[:0], http.MaxBytesReader(c.w, c.r.Body, g.maxBody),
		c.r.ContentLength)
	c.body, c.bodyRead = body, true
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return false, tooLarge
	case err != nil:
		return false, "unreadable"
	}
	tok, err := envelope.ParseRequestBody(body)
	if err != nil {
		return false, kindReason(err)
	}
	c.token = tok
	return true, ""
}

// preallocLimit caps the room made for a body before it is read.
const preallocLimit = 1 << 20

// readBody appends everything r holds to buf; size is the announced
// length or -1.
func readBody(buf []byte, r io.Reader, size int64) ([]byte, error) {
	if size > 0 {
		// One spare byte lets the last read see EOF; a large announced
		// length is not trusted with memory before the bytes arrive.
		buf = slices.Grow(buf, int(min(size, preallocLimit))+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(512, cap(buf)))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// checkRequestData is check 9: RequestData opens to a JSON document.
func (g *Gateway) checkRequestData(c *call) (bool, string) {
	pt, err := c.client.codec.AppendOpen(c.payload[:0], c.token)
	c.payload = pt
	if err != nil {
		return false, kindReason(err)
	}
	if !json.Valid(pt) {
		return false, string(envelope.KindJSON)
	}
	c.payloadOK = true
	return true, ""
}

// checkRoute is check 10: a scripted answer waits for the path, or a
// route serves the path under the call's method.
func (g *Gateway) checkRoute(c *call) (bool, string) {
	path := c.r.URL.Path
	if a, ok := g.scripts.next(path); ok {
		c.answer, c.scripted = a, true
		return true, ""
	}
	routes, ok := g.routes[path]
	if !ok {
		return false, "no such path"
	}
	for _, rt := range routes {
		if rt.method == c.r.Method {
			c.answer = rt.answer
			return true, ""
		}
	}
	return false, "path not served under this method"
}

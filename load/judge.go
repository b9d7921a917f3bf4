package load

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/gwcert/gwcert/envelope"
)

// Texts that a judged failure puts in a result's Error. Each is also its
// kind in Metrics.Errors.
const (
	// OpenFailure starts the Error of a 2xx answer whose ResponseData does
	// not open to JSON; the envelope error kind follows, such as
	// "ResponseData does not open: padding".
	OpenFailure = "ResponseData does not open: "
	// MissingField starts the Error of an answer that opened but lacks the
	// route's expected member; the member's name follows.
	MissingField = "answer lacks member "
)

// verdictHeader carries the judging transport's verdict on a 2xx answer
// to Run, which moves it into the result's Error and removes the header.
// Vegeta keeps the answer's headers in the result, and they are the only
// part of the answer a transport can add to that Vegeta passes on.
const verdictHeader = "X-Gwcert-Verdict"

// judge is an http.RoundTripper that opens every 2xx answer with the
// codec of the client that sent the request, as a client of the gateway
// would, and marks the answer when it does not open or lacks the
// route's expected member. It reads the whole body to do so and hands
// Vegeta a copy.
type judge struct {
	next   http.RoundTripper
	codecs map[string]*envelope.Codec // by pass key
	expect map[routeKey]string        // expected member by method and URL path
}

// judge returns the judging transport for the targeter's requests.
func (t *Targeter) judge(next http.RoundTripper) *judge {
	j := &judge{next: next, codecs: map[string]*envelope.Codec{},
		expect: map[routeKey]string{}}
	for _, c := range t.clients {
		j.codecs[c.Cred.PassKey] = c.Codec
	}
	for _, r := range t.routes {
		if r.expect != "" {
			j.expect[r.key] = r.expect
		}
	}
	return j
}

// RoundTrip sends req and judges a 2xx answer.
func (j *judge) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := j.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	resp.Header.Del(verdictHeader) // only this transport may set it
	if !is2xx(resp.StatusCode) {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if v := j.verdict(req, resp.StatusCode, body); v != "" {
		resp.Header.Set(verdictHeader, v)
	}
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the transport
// underneath, so that http.Client.CloseIdleConnections reaches it.
func (j *judge) CloseIdleConnections() {
	if c, ok := j.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// verdict returns why a 2xx answer to req fails, or "" when it passes.
func (j *judge) verdict(req *http.Request, status int, body []byte) string {
	var codec *envelope.Codec
	if v := req.Header[envelope.HeaderPassKey]; len(v) == 1 {
		codec = j.codecs[v[0]]
	}
	if codec == nil {
		return "request without a known pass_key" // not one of the targeter's
	}
	resp, err := codec.OpenResponse(status, body)
	if err != nil {
		kind := string(envelope.KindOf(err))
		if kind == "" {
			kind = "unknown"
		}
		return OpenFailure + kind
	}
	field := j.expect[routeKey{req.Method, req.URL.Path}]
	if field != "" && !envelope.HasMember(resp.JSON, field) {
		return MissingField + field
	}
	return ""
}

func is2xx(code int) bool { return code >= 200 && code <= 299 }

// finish completes a result as it comes out of Vegeta: it names the
// attack, moves the judging transport's verdict into Error, gives any
// other answer outside 2xx an Error too (Vegeta leaves 1xx and 3xx
// without one), and drops the body and headers of a success, which are
// of no use once judged (the body is ciphertext) and would double the
// size of a results file. Failures keep both as evidence.
func finish(r *vegeta.Result, attack string) {
	r.Attack = attack
	if v := r.Headers.Get(verdictHeader); v != "" {
		r.Error = v
		r.Headers.Del(verdictHeader)
	}
	if r.Error == "" && !is2xx(int(r.Code)) {
		r.Error = fmt.Sprintf("status %d: not 2xx", r.Code)
	}
	if Succeeded(r) {
		r.Body, r.Headers = nil, nil
	}
}

// Succeeded reports whether a judged result is a success: a 2xx answer
// whose ResponseData opened to JSON holding the expected member. Vegeta's
// own success ratio counts every status from 200 to 399 whatever the
// Error, so it can read higher than this.
func Succeeded(r *vegeta.Result) bool {
	return r.Error == "" && is2xx(int(r.Code))
}

// ErrorKind returns the kind of a failed result for Metrics.Errors: the
// judge's text for an answer that did not open or lacked its member,
// "status N" for any other answer outside 2xx, and a short name for a
// request that got no answer ("timeout", "connection refused"...). It
// returns "" for a success.
func ErrorKind(r *vegeta.Result) string {
	switch {
	case Succeeded(r):
		return ""
	case strings.HasPrefix(r.Error, OpenFailure), strings.HasPrefix(r.Error, MissingField):
		return r.Error
	case r.Code != 0:
		return "status " + strconv.Itoa(int(r.Code))
	}
	return transportKind(r.Error)
}

// transportKinds maps a fragment of a transport error to its kind, in
// the order they are tried.
var transportKinds = []struct{ fragment, kind string }{
	{"Client.Timeout", "timeout"},
	{"deadline exceeded", "timeout"},
	{"i/o timeout", "timeout"},
	{"connection refused", "connection refused"},
	{"connection reset", "connection reset"},
	{"broken pipe", "connection reset"},
	{"too many open files", "too many open files"},
	{"cannot assign requested address", "no free local port"},
	{"no such host", "unknown host"},
	{"EOF", "connection closed"},
}

func transportKind(msg string) string {
	for _, k := range transportKinds {
		if strings.Contains(msg, k.fragment) {
			return k.kind
		}
	}
	return "transport error"
}

package kat

import (
	"bytes"
	"fmt"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/vectors"
)

// requestSealer is offered by gwcert's codec: a whole request in one call.
type requestSealer interface {
	SealRequest(envelope.Scheme, []byte, []byte, []byte, envelope.Credentials, int64, []byte) (string, string, error)
}

// request checks a whole request: header_secrets and body. An adapter
// builds it from its header and seal operations.
func (j *judge) request() (verdict reports.Verdict, reason string) {
	defer recoverVector(&verdict, &reason)
	t := j.c.Test
	key := j.hexField(t.Key, "key")
	headerIV, iv := j.hexField(t.HeaderIV, "headerIv"), j.hexField(t.IV, "iv")
	h := envelope.HeaderSecrets{ClientID: t.ClientID, ClientSecret: t.ClientSecret, Epoch: t.Epoch}
	j.ev.Sent = fmt.Sprintf("request headerIv=%s iv=%s payload=%s", t.HeaderIV, t.IV, short(t.Payload))

	var hdr, body string
	if rs, ok := j.impl.(requestSealer); ok {
		epoch, err := h.Unix()
		if err != nil {
			panic(vectorError{fmt.Errorf("vector %s: epoch: %w", j.c.Title(), err)})
		}
		cred := envelope.Credentials{ClientID: t.ClientID, ClientSecret: t.ClientSecret}
		var err2 error
		hdr, body, err2 = rs.SealRequest(j.c.Scheme(), key, headerIV, iv, cred, epoch, []byte(t.Payload))
		if v, r, done := j.failed("seal request", err2); done {
			return v, r
		}
	} else {
		var err error
		if hdr, err = j.impl.Header(j.c.Scheme(), key, headerIV, h); err != nil {
			v, r, _ := j.failed("header", err)
			return v, r
		}
		tok, err := j.impl.Seal(j.c.Scheme(), key, iv, []byte(t.Payload))
		if v, r, done := j.failed("seal", err); done {
			return v, r
		}
		body = `{"RequestData":"` + tok + `"}`
	}
	if v, r := j.sameHeader(key, headerIV, hdr, t.HeaderSecrets, h); v != reports.Pass {
		return v, "header_secrets: " + r
	}
	if body != t.Body {
		j.ev.Expected, j.ev.Actual = []string{short(t.Body)}, short(body)
		return reports.Fail, "request body differs from the vector"
	}
	j.ev.Actual = "header_secrets and body as the vector says"
	return reports.Pass, "matches the vector"
}

// responseOpener is offered by gwcert's codec: a whole answer judged.
type responseOpener interface {
	OpenResponse(envelope.Scheme, []byte, int, []byte) (envelope.Response, error)
}

// response checks how an answer is understood. gwcert's codec judges the
// whole answer; an adapter only opens ResponseData, so JSON-level cases
// are skipped for it.
func (j *judge) response() (verdict reports.Verdict, reason string) {
	defer recoverVector(&verdict, &reason)
	t := j.c.Test
	key := j.hexField(t.Key, "key")
	j.ev.Sent = fmt.Sprintf("answer status=%d body=%s", t.Status, short(t.Body))
	if ro, ok := j.impl.(responseOpener); ok {
		return j.wholeResponse(ro, key)
	}
	cryptoCase := t.HasFlag("BadPadding") || t.HasFlag("ModifiedTag") || t.HasFlag("WrongKey")
	switch {
	case t.Result == vectors.Valid && !t.Encrypted:
		return reports.Skip, "plain error answer: nothing to decrypt, outside the adapter contract"
	case t.Result == vectors.Invalid && !cryptoCase:
		return reports.Skip, "a JSON-level rule, outside the adapter contract"
	}
	tok, err := envelope.TokenMember([]byte(t.Body), envelope.ResponseDataMember)
	if err != nil {
		panic(vectorError{fmt.Errorf("vector %s: ResponseData: %w", j.c.Title(), err)})
	}
	if t.Result == vectors.Invalid {
		return j.mustRefuse(j.c.Scheme(), key, string(tok))
	}
	return j.mustOpenTo(key, string(tok), []byte(t.Response))
}

func (j *judge) wholeResponse(ro responseOpener, key []byte) (reports.Verdict, string) {
	t := j.c.Test
	r, err := ro.OpenResponse(j.c.Scheme(), key, t.Status, []byte(t.Body))
	if t.Result == vectors.Invalid {
		j.ev.Expected = []string{"refused" + kindSuffix(j.c.expectedKind())}
		return j.judgeRefusal("open response", err, j.c.expectedKind())
	}
	if v, reason, done := j.failed("open response", err); done {
		return v, reason
	}
	if r.Encrypted != t.Encrypted || !bytes.Equal(r.JSON, []byte(t.Response)) {
		j.ev.Expected = []string{fmt.Sprintf("encrypted=%v json=%s", t.Encrypted, short(t.Response))}
		j.ev.Actual = fmt.Sprintf("encrypted=%v json=%s", r.Encrypted, short(string(r.JSON)))
		return reports.Fail, "understood the answer differently from the vector"
	}
	j.ev.Actual = fmt.Sprintf("encrypted=%v, JSON as the vector says", r.Encrypted)
	return reports.Pass, "matches the vector"
}

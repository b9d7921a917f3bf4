package kat

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/vectors"
)

// Judge runs one case through impl and returns the judged check.
func Judge(impl Impl, c Case) reports.Check {
	chk := reports.Check{ID: c.ID(), Name: c.Title(), Section: c.ID()[2:3], Level: reports.Must}
	if why := c.outOfScope(); why != "" {
		return verdict(chk, reports.Skip, why, nil)
	}
	j := judge{impl: impl, c: c, ev: &reports.Evidence{}}
	v, reason := j.run()
	if c.Test.Result == vectors.Acceptable && v != reports.Skip {
		v, reason = reports.Info, "acceptable vector: "+reason
	}
	return verdict(chk, v, reason, j.ev)
}

func verdict(c reports.Check, v reports.Verdict, reason string, ev *reports.Evidence) reports.Check {
	c.Verdict, c.Reason, c.Evidence = v, reason, ev
	return c
}

// judge holds one case being judged and the evidence gathered so far.
type judge struct {
	impl Impl
	c    Case
	ev   *reports.Evidence
}

func (j *judge) run() (reports.Verdict, string) {
	switch j.c.Group.Type {
	case "IndCpaTest", "AeadTest", "TokenTest":
		return j.token()
	case "HeaderSecretsTest":
		if j.c.Test.Result == vectors.Invalid {
			return j.headerInvalid()
		}
		return j.headerValid()
	case "RequestTest":
		return j.request()
	case "ResponseTest":
		return j.response()
	}
	return reports.Skip, "unknown group type"
}

// hexField decodes a hex field of the vector; a malformed vector is the
// vector file's fault and is reported as such.
func (j *judge) hexField(s, name string) []byte {
	b, err := vectors.FromHex(s, name)
	if err != nil {
		panic(vectorError{fmt.Errorf("vector %s: %w", j.c.Title(), err)})
	}
	return b
}

type vectorError struct{ error }

// token judges the cipher and token-form vectors.
func (j *judge) token() (verdict reports.Verdict, reason string) {
	defer recoverVector(&verdict, &reason)
	t := j.c.Test
	key := j.hexField(t.Key, "key")
	token := t.Token
	if j.c.Group.Type != "TokenTest" {
		raw := j.hexField(t.IV+t.CT+t.Tag, "iv, ct and tag")
		token = base64.StdEncoding.EncodeToString(raw)
	}
	if t.Result == vectors.Invalid {
		return j.mustRefuse(j.c.Scheme(), key, token)
	}
	msg := j.hexField(t.Msg, "msg")
	if j.c.Group.Type != "TokenTest" {
		iv := j.hexField(t.IV, "iv")
		j.ev.Sent = fmt.Sprintf("seal iv=%s plaintext=%s", t.IV, short(t.Msg))
		got, err := j.impl.Seal(j.c.Scheme(), key, iv, msg)
		if v, r, done := j.failed("seal", err); done {
			return v, r
		}
		if got != token {
			j.ev.Expected, j.ev.Actual = []string{token}, got
			return reports.Fail, "sealed to a different token than the vector"
		}
	}
	return j.mustOpenTo(key, token, msg)
}

// mustOpenTo opens token and requires the plaintext msg.
func (j *judge) mustOpenTo(key []byte, token string, msg []byte) (reports.Verdict, string) {
	j.ev.Sent = joinLines(j.ev.Sent, "open token="+short(token))
	pt, err := j.impl.Open(j.c.Scheme(), key, token)
	if v, r, done := j.failed("open", err); done {
		return v, r
	}
	if !bytes.Equal(pt, msg) {
		j.ev.Expected, j.ev.Actual = []string{"plaintext " + short(hex.EncodeToString(msg))}, short(hex.EncodeToString(pt))
		return reports.Fail, "opened to a different plaintext than the vector"
	}
	j.ev.Actual = "sealed and opened as the vector says"
	return reports.Pass, "matches the vector"
}

// mustRefuse opens an invalid token and requires a refusal of the kind
// the vector's flags name.
func (j *judge) mustRefuse(scheme envelope.Scheme, key []byte, token string) (reports.Verdict, string) {
	want := j.c.expectedKind()
	j.ev.Sent = "open token=" + short(token)
	j.ev.Expected = []string{"refused" + kindSuffix(want)}
	_, err := j.impl.Open(scheme, key, token)
	return j.judgeRefusal("open", err, want)
}

func (j *judge) judgeRefusal(op string, err error, want envelope.Kind) (reports.Verdict, string) {
	if err == nil {
		j.ev.Actual = "accepted"
		return reports.Fail, fmt.Sprintf("accepted an invalid input (%v)", j.c.Test.Flags)
	}
	word, refused := refusalWord(err)
	switch {
	case word == "unsupported":
		return reports.Skip, "the implementation does not support " + op
	case !refused:
		j.ev.Actual = err.Error()
		return reports.Fail, op + " failed: " + err.Error()
	}
	j.ev.Actual = "refused: " + word
	if want != "" && word != string(want) {
		return reports.Fail, fmt.Sprintf("refused for %q, but the vector's flags %v call for %q",
			word, j.c.Test.Flags, want)
	}
	return reports.Pass, "refused" + kindSuffix(want)
}

// failed turns an error of an operation that should have succeeded into
// a verdict; done is false when there was no error.
func (j *judge) failed(op string, err error) (reports.Verdict, string, bool) {
	if err == nil {
		return "", "", false
	}
	if word, ok := refusalWord(err); ok {
		if word == "unsupported" {
			return reports.Skip, "the implementation does not support " + op, true
		}
		j.ev.Actual = "refused: " + word
		return reports.Fail, fmt.Sprintf("%s refused a valid input (%s)", op, word), true
	}
	j.ev.Actual = err.Error()
	return reports.Fail, op + " failed: " + err.Error(), true
}

// headerValid checks building header_secrets, then opening the vector's.
func (j *judge) headerValid() (verdict reports.Verdict, reason string) {
	defer recoverVector(&verdict, &reason)
	t := j.c.Test
	key, iv := j.hexField(t.Key, "key"), j.hexField(t.IV, "iv")
	h := envelope.HeaderSecrets{ClientID: t.ClientID, ClientSecret: t.ClientSecret, Epoch: t.Epoch}
	j.ev.Sent = fmt.Sprintf("header iv=%s client_id=%q epoch=%q", t.IV, t.ClientID, t.Epoch)
	got, err := j.impl.Header(j.c.Scheme(), key, iv, h)
	if v, r, done := j.failed("header", err); done {
		return v, r
	}
	if v, r := j.sameHeader(key, iv, got, t.Token, h); v != reports.Pass {
		return v, r
	}
	return j.mustOpenTo(key, t.Token, []byte(t.Header))
}

// sameHeader accepts the vector's exact token, or, from an adapter, a
// token with the same IV whose JSON holds exactly the same three members
// (DESIGN.md leaves member order and spacing free). gwcert's own codec
// must match exactly.
func (j *judge) sameHeader(key, iv []byte, got, want string, h envelope.HeaderSecrets) (reports.Verdict, string) {
	if got == want {
		return reports.Pass, ""
	}
	j.ev.Expected, j.ev.Actual = []string{want}, got
	if _, own := j.impl.(goImpl); own {
		return reports.Fail, "built a different header_secrets token than the vector"
	}
	codec, _ := envelope.New(j.c.Scheme(), key)
	raw, err := base64.StdEncoding.Strict().DecodeString(got)
	if err != nil || !bytes.HasPrefix(raw, iv) {
		return reports.Fail, "header_secrets does not start with the given IV in standard base64"
	}
	parsed, err := codec.OpenHeaderSecrets([]byte(got))
	if err != nil {
		return reports.Fail, "header_secrets does not open to the three members: " + err.Error()
	}
	if parsed != h {
		return reports.Fail, "header_secrets opens to different member values"
	}
	return reports.Pass, ""
}

// headerInvalid requires a strict parser to refuse a malformed header.
func (j *judge) headerInvalid() (verdict reports.Verdict, reason string) {
	defer recoverVector(&verdict, &reason)
	p, ok := j.impl.(interface {
		ParseHeader(envelope.Scheme, []byte, string) (envelope.HeaderSecrets, error)
	})
	if !ok {
		return reports.Skip, "the adapter contract has no header-parsing operation; " +
			"the gateway suite checks strict parsing on the wire"
	}
	want := j.c.expectedKind()
	j.ev.Sent = "parse header_secrets opening to " + strconv.Quote(j.c.Test.Header)
	j.ev.Expected = []string{"refused" + kindSuffix(want)}
	_, err := p.ParseHeader(j.c.Scheme(), j.hexField(j.c.Test.Key, "key"), j.c.Test.Token)
	return j.judgeRefusal("parse header", err, want)
}

func recoverVector(v *reports.Verdict, reason *string) {
	if r := recover(); r != nil {
		ve, ok := r.(vectorError)
		if !ok {
			panic(r)
		}
		*v, *reason = reports.Fail, ve.Error()
	}
}

func kindSuffix(k envelope.Kind) string {
	if k == "" {
		return ""
	}
	return " (" + string(k) + ")"
}

// short cuts long values in evidence to keep reports readable.
func short(s string) string {
	if len(s) > 96 {
		return s[:96] + fmt.Sprintf("… (%d chars)", len(s))
	}
	return s
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

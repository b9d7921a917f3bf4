package mockgateway_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// expect asserts an answer's status, exact body and Content-Type.
func expect(t *testing.T, got reply, status int, body string) {
	t.Helper()
	assert.Equal(t, status, got.status)
	assert.Equal(t, body, string(got.body))
	assert.Equal(t, "application/json", got.header.Get("Content-Type"))
}

func TestCorrectCallEchoes(t *testing.T) {
	f := newFixture(t)
	got := f.do(f.good())
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	assert.Equal(t, "application/json", got.header.Get("Content-Type"))
	pt, _ := openAnswer(t, f.a.key, got.body)
	assert.JSONEq(t, echoPayload, string(pt))
	assert.NotContains(t, string(got.body), "amount", "the answer is sealed")
}

func TestEachCheckAnswersItsStatusAndText(t *testing.T) {
	f := newFixture(t)
	a := f.a
	pk, now := a.cred.PassKey, f.epoch()
	secrets := f.sealedHeader(a, now)
	body := bodyOf(cbcSeal(t, a.key, randomIV(t), []byte(echoPayload)))
	post := func(h wire, body string) *http.Request { return f.raw("POST", "/api/echo", h, body) }
	epoch := strconv.FormatInt(now, 10)
	misnamed := `{"Client_id":"` + a.cred.ClientID + `","client_secret":"` + a.cred.ClientSecret +
		`","epoch":"` + epoch + `"}`
	wrongSecret := headerDoc(a.cred.ClientID, "wrong", epoch)
	textPayload := cbcSeal(t, a.key, randomIV(t), []byte("amount=10"))
	cases := []struct {
		name  string
		req   *http.Request
		check mockgateway.Check
		want  string
	}{
		{"no pass_key", post(wire{secrets: secrets}, body), 1, wantPassKey},
		{"unknown pass_key", post(wire{"NOTAKEY", secrets}, body), 1, wantPassKey},
		{"no header_secrets", post(wire{passKey: pk}, body), 2, wantMissing},
		{"header_secrets not base64", post(wire{pk, "not*base64"}, body), 3, wantHeader},
		{"header_secrets with a misnamed member", post(wire{pk, headerToken(t, a.key, misnamed)},
			body), 3, wantHeader},
		{"wrong client secret", post(wire{pk, headerToken(t, a.key, wrongSecret)}, body),
			4, wantCredentials},
		{"epoch too old", f.sealed(a, "/api/echo", now-301, echoPayload), 5, wantEpoch},
		{"epoch too far ahead", f.sealed(a, "/api/echo", now+61, echoPayload), 6, wantEpoch},
		{"body not JSON", post(wire{pk, secrets}, "RequestData="), 8, wantBody},
		{"RequestData not a string", post(wire{pk, secrets}, `{"RequestData":42}`), 8, wantBody},
		{"RequestData missing", post(wire{pk, secrets}, `{"requestdata":"AAAA"}`), 8, wantBody},
		{"RequestData opens to text", post(wire{pk, secrets}, bodyOf(textPayload)),
			9, wantRequestData},
		{"unknown path", f.sealed(a, "/api/nowhere", now, echoPayload), 10, wantRoute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, f.do(tc.req), statusOf(tc.want), tc.want)
			ex := f.last()
			assert.Equal(t, tc.check, ex.Failed)
			assertVerdictsInOrder(t, ex)
		})
	}
}

// sealedHeader is a correct header_secrets token of p at epoch.
func (f *fixture) sealedHeader(p party, epoch int64) string {
	return headerToken(f.t, p.key, headerDoc(p.cred.ClientID, p.cred.ClientSecret,
		strconv.FormatInt(epoch, 10)))
}

// statusOf reads the statusCode written in an expected body.
func statusOf(body string) int {
	i := strings.Index(body, `"statusCode":`) + len(`"statusCode":`)
	n, _ := strconv.Atoi(body[i : i+3])
	return n
}

// assertVerdictsInOrder checks that the checks ran from 1 in order, all
// passing but the last when the call failed.
func assertVerdictsInOrder(t *testing.T, ex mockgateway.Exchange) {
	t.Helper()
	for i, v := range ex.Checks {
		assert.Equal(t, mockgateway.Check(i+1), v.Check)
		assert.Equal(t, v.Check.String(), v.Name)
		last := i == len(ex.Checks)-1
		assert.Equal(t, !(last && ex.Failed != 0), v.Pass, "verdict of check %d", v.Check)
	}
	if ex.Failed != 0 {
		require.Len(t, ex.Checks, int(ex.Failed))
		assert.NotEmpty(t, ex.Checks[len(ex.Checks)-1].Reason)
	}
}

// Each pair breaks two checks; the answer must be the earlier one's.
func TestChecksRunInOrder(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.ReplayDetection = true })
	a := f.a
	now := f.epoch()
	const badBody = "{not json"
	expired := f.sealedHeader(a, now-1000)
	wrongSecret := headerToken(t, a.key, headerDoc(a.cred.ClientID, "nope", "1"))
	replayed := f.sealed(a, "/api/echo", now, echoPayload)
	require.Equal(t, http.StatusOK, f.do(replayed).status)
	cases := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"unknown pass_key and bad body", f.raw("POST", "/api/nowhere",
			wire{passKey: "UNKNOWN", secrets: "x"}, badBody), wantPassKey},
		{"header_secrets missing and bad body", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey}, badBody), wantMissing},
		{"bad header_secrets and bad body", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey, secrets: "AAAA"}, badBody), wantHeader},
		{"wrong secret and expired epoch", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey, secrets: wrongSecret}, badBody), wantCredentials},
		{"expired epoch and bad body", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey, secrets: expired}, badBody), wantEpoch},
		{"replayed header and bad body", f.raw("POST", "/api/nowhere",
			wire{a.cred.PassKey, replayed.Header[envelope.HeaderSecretsName][0]}, badBody),
			wantReplay},
		{"bad body and unknown route", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey, secrets: f.sealedHeader(a, now)}, badBody), wantBody},
		{"bad RequestData and unknown route", f.raw("POST", "/api/nowhere",
			wire{passKey: a.cred.PassKey, secrets: f.sealedHeader(a, now)}, bodyOf("AAAA")),
			wantRequestData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, f.do(tc.req), statusOf(tc.want), tc.want)
			assertVerdictsInOrder(t, f.last())
		})
	}
}

func TestEpochBoundaries(t *testing.T) {
	f := newFixture(t)
	now := f.epoch()
	cases := []struct {
		name   string
		epoch  int64
		failed mockgateway.Check
	}{
		{"now", now, 0},
		{"300 s old", now - 300, 0},
		{"301 s old", now - 301, mockgateway.CheckEpochAge},
		{"60 s ahead", now + 60, 0},
		{"61 s ahead", now + 61, mockgateway.CheckEpochFuture},
		{"milliseconds", now*1000 + 500, mockgateway.CheckEpochFuture},
		{"zero", 0, mockgateway.CheckEpochAge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := f.do(f.sealed(f.a, "/api/echo", tc.epoch, echoPayload))
			if tc.failed == 0 {
				assert.Equal(t, http.StatusOK, got.status, string(got.body))
			} else {
				expect(t, got, http.StatusUnauthorized, wantEpoch)
			}
			assert.Equal(t, tc.failed, f.last().Failed)
		})
	}
}

// The window follows the configuration, and the clock's fraction of a
// second does not count.
func TestEpochWindowFromConfig(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) {
		c.EpochWindow = 10 * time.Second
		c.MaxFutureSkew = 2 * time.Second
	})
	f.advance(400 * time.Millisecond) // 0.9 s into the second
	now := f.epoch()
	assert.Equal(t, http.StatusOK, f.do(f.sealed(f.a, "/api/echo", now-10, "{}")).status)
	expect(t, f.do(f.sealed(f.a, "/api/echo", now-11, "{}")), 401, wantEpoch)
	assert.Equal(t, http.StatusOK, f.do(f.sealed(f.a, "/api/echo", now+2, "{}")).status)
	expect(t, f.do(f.sealed(f.a, "/api/echo", now+3, "{}")), 401, wantEpoch)
}

// An epoch that is not decimal seconds is check 5's, after the
// credentials of check 4.
func TestEpochNotDecimalSeconds(t *testing.T) {
	f := newFixture(t)
	a := f.a
	now := strconv.FormatInt(f.epoch(), 10)
	for _, epoch := range []string{"", "abc", now + ".0", " " + now, "-" + now, "1e9",
		"99999999999999999999", "9223372036854775808"} {
		t.Run(strconv.Quote(epoch), func(t *testing.T) {
			secrets := headerToken(t, a.key, headerDoc(a.cred.ClientID, a.cred.ClientSecret, epoch))
			req := f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: secrets}, "{}")
			expect(t, f.do(req), 401, wantEpoch)
			ex := f.last()
			assert.Equal(t, mockgateway.CheckEpochAge, ex.Failed)
			assert.Equal(t, epoch, ex.Header.Epoch)

			secrets = headerToken(t, a.key, headerDoc(a.cred.ClientID, "wrong", epoch))
			req = f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: secrets}, "{}")
			expect(t, f.do(req), 401, wantCredentials)
		})
	}
}

// header_secrets must be an object of exactly the three string members;
// anything else is check 3's, with the one text.
func TestHeaderShape(t *testing.T) {
	f := newFixture(t)
	a := f.a
	// str and obj write JSON by hand, so that documents encoding/json
	// would never produce can be built.
	str := func(s string) string { return `"` + s + `"` }
	obj := func(members ...string) string { return "{" + strings.Join(members, ",") + "}" }
	id := `"client_id":` + str(a.cred.ClientID)
	secret := `"client_secret":` + str(a.cred.ClientSecret)
	now := strconv.FormatInt(f.epoch(), 10)
	epoch := `"epoch":` + str(now)
	docs := map[string]string{
		"misnamed":         obj(`"Client_id":`+str(a.cred.ClientID), secret, epoch),
		"extra member":     obj(id, secret, epoch, `"x":"1"`),
		"missing epoch":    obj(id, secret),
		"epoch a number":   obj(id, secret, `"epoch":`+now),
		"repeated member":  obj(id, id, secret, epoch),
		"repeated epoch":   obj(id, secret, `"epoch":"x"`, epoch),
		"array":            "[" + str(a.cred.ClientID) + "," + str(now) + "]",
		"trailing data":    obj(id, secret, epoch) + "x",
		"two objects":      obj(id, secret, epoch) + "{}",
		"not JSON":         "client_id=" + a.cred.ClientID,
		"epoch an object":  obj(id, secret, `"epoch":{"s":`+str(now)+"}"),
		"null secret":      obj(id, `"client_secret":null`, epoch),
		"empty object":     obj(),
		"invalid UTF-8":    obj(`"client_id":`+str(a.cred.ClientID+"\xff"), secret, epoch),
		"epoch x, missing": obj(id, `"epoch":"x"`),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			req := f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey,
				secrets: headerToken(t, a.key, doc)}, "{}")
			expect(t, f.do(req), 401, wantHeader)
			assert.Equal(t, mockgateway.CheckHeaderSecrets, f.last().Failed)
		})
	}
}

func TestCrossClient(t *testing.T) {
	f := newFixture(t)
	a, b := f.a, f.b
	now := f.epoch()
	aHeader := f.sealedHeader(a, now)
	aBody := bodyOf(cbcSeal(t, a.key, randomIV(t), []byte(echoPayload)))
	cases := []struct {
		name string
		h    wire
		body string
		want string
	}{
		{"A's pass key, header under B's key", wire{a.cred.PassKey, f.sealedHeader(b, now)},
			aBody, wantHeader},
		{"B's pass key, A's header", wire{b.cred.PassKey, aHeader}, aBody, wantHeader},
		{"A's pass key and key, B's id and secret", wire{a.cred.PassKey, headerToken(t, a.key,
			headerDoc(b.cred.ClientID, b.cred.ClientSecret, strconv.FormatInt(now, 10)))}, aBody,
			wantCredentials},
		{"A's id, B's secret", wire{a.cred.PassKey, headerToken(t, a.key,
			headerDoc(a.cred.ClientID, b.cred.ClientSecret, strconv.FormatInt(now, 10)))}, aBody,
			wantCredentials},
		{"B's id, A's secret", wire{a.cred.PassKey, headerToken(t, a.key,
			headerDoc(b.cred.ClientID, a.cred.ClientSecret, strconv.FormatInt(now, 10)))}, aBody,
			wantCredentials},
		{"A's header, RequestData under B's key", wire{a.cred.PassKey, aHeader},
			bodyOf(cbcSeal(t, b.key, randomIV(t), []byte(echoPayload))), wantRequestData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, f.do(f.raw("POST", "/api/echo", tc.h, tc.body)), statusOf(tc.want), tc.want)
		})
	}
	got := f.do(f.sealed(b, "/api/echo", now, `{"peer":true}`))
	require.Equal(t, http.StatusOK, got.status)
	pt, _ := openAnswer(t, b.key, got.body)
	assert.JSONEq(t, `{"peer":true}`, string(pt), "B's answer is sealed with B's key")
	assert.Equal(t, profiles.Peer, f.last().Client)
}

func TestNoFutureSkew(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.MaxFutureSkew = mockgateway.NoFutureSkew })
	assert.Equal(t, http.StatusOK, f.do(f.sealed(f.a, "/api/echo", f.epoch(), "{}")).status)
	expect(t, f.do(f.sealed(f.a, "/api/echo", f.epoch()+1, "{}")), 401, wantEpoch)
}

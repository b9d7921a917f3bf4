package mockgateway_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

// withHeaders replaces the protocol headers of a correct request with
// the given ones, names written as given.
func withHeaders(req *http.Request, h map[string][]string) *http.Request {
	delete(req.Header, envelope.HeaderPassKey)
	delete(req.Header, envelope.HeaderSecretsName)
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

func TestHeaderNamesAndRepeats(t *testing.T) {
	f := newFixture(t)
	pk := f.a.cred.PassKey
	cases := []struct {
		name string
		h    func(secrets string) map[string][]string
		want string // "" for success
	}{
		{"upper case names", func(s string) map[string][]string {
			return map[string][]string{"PASS_KEY": {pk}, "HEADER_SECRETS": {s}}
		}, ""},
		{"mixed case names", func(s string) map[string][]string {
			return map[string][]string{"Pass_Key": {pk}, "Header_Secrets": {s}}
		}, ""},
		{"pass_key twice, same value", func(s string) map[string][]string {
			return map[string][]string{"pass_key": {pk, pk}, "header_secrets": {s}}
		}, ""},
		{"pass_key twice, different values", func(s string) map[string][]string {
			return map[string][]string{"pass_key": {pk, f.b.cred.PassKey}, "header_secrets": {s}}
		}, wantPassKey},
		{"pass_key under two spellings, different values", func(s string) map[string][]string {
			return map[string][]string{"pass_key": {pk}, "PASS_KEY": {"OTHER"},
				"header_secrets": {s}}
		}, wantPassKey},
		{"empty pass_key", func(s string) map[string][]string {
			return map[string][]string{"pass_key": {""}, "header_secrets": {s}}
		}, wantPassKey},
		{"empty header_secrets", func(string) map[string][]string {
			return map[string][]string{"pass_key": {pk}, "header_secrets": {""}}
		}, wantMissing},
		{"header_secrets twice, same value", func(s string) map[string][]string {
			return map[string][]string{"pass_key": {pk}, "header_secrets": {s, s}}
		}, ""},
		{"header_secrets twice, different values", func(s string) map[string][]string {
			other := f.sealedHeader(f.a, f.epoch())
			return map[string][]string{"pass_key": {pk}, "header_secrets": {s, other}}
		}, wantHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := f.good()
			secrets := req.Header[envelope.HeaderSecretsName][0]
			got := f.do(withHeaders(req, tc.h(secrets)))
			if tc.want == "" {
				assert.Equal(t, http.StatusOK, got.status, string(got.body))
				return
			}
			expect(t, got, statusOf(tc.want), tc.want)
		})
	}
}

// A handler called directly, without a server that canonicalises header
// names, still finds the lower-case headers.
func TestDirectHandlerCall(t *testing.T) {
	f := newFixture(t)
	req := f.good()
	rec := httptest.NewRecorder()
	f.gw.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	pt, _ := openAnswer(t, f.a.key, rec.Body.Bytes())
	assert.JSONEq(t, echoPayload, string(pt))
}

func TestMethodMismatchIsUnknownRoute(t *testing.T) {
	f := newFixture(t)
	req := f.good()
	req.Method = http.MethodPut
	expect(t, f.do(req), http.StatusNotFound, wantRoute)
	assert.Equal(t, "path not served under this method", f.last().Checks[9].Reason)
}

func TestReplayDetection(t *testing.T) {
	t.Run("on", func(t *testing.T) {
		f := newFixture(t, func(c *mockgateway.Config) { c.ReplayDetection = true })
		first := f.good()
		again := f.raw("POST", "/api/echo", wire{passKey: f.a.cred.PassKey,
			secrets: first.Header[envelope.HeaderSecretsName][0]}, bodyOfRequest(t, first))
		assert.Equal(t, http.StatusOK, f.do(first).status)
		expect(t, f.do(again), http.StatusUnauthorized, wantReplay)
		assert.Equal(t, mockgateway.CheckReplay, f.last().Failed)
		assert.Equal(t, http.StatusOK, f.do(f.good()).status, "a fresh header passes")

		f.advance(301 * time.Second)
		expect(t, f.do(again), http.StatusUnauthorized, wantEpoch)
	})
	t.Run("off by default", func(t *testing.T) {
		f := newFixture(t)
		first := f.good()
		secrets := first.Header[envelope.HeaderSecretsName][0]
		body := bodyOfRequest(t, first)
		for range 3 {
			req := f.raw("POST", "/api/echo", wire{f.a.cred.PassKey, secrets}, body)
			assert.Equal(t, http.StatusOK, f.do(req).status)
		}
		v := f.last().Checks[mockgateway.CheckReplay-1]
		assert.True(t, v.Pass)
		assert.Contains(t, v.Reason, "off")
	})
}

// bodyOfRequest reads the body of a request built by the fixture and
// puts it back.
func bodyOfRequest(t testing.TB, req *http.Request) string {
	b, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	req.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

func TestBodyLimit(t *testing.T) {
	const limit = 600
	f := newFixture(t, func(c *mockgateway.Config) { c.MaxBodyBytes = limit })
	req := f.good()
	body := bodyOfRequest(t, req)
	require.Less(t, len(body), limit)
	secrets := req.Header[envelope.HeaderSecretsName][0]
	send := func(body string, chunked bool) reply {
		r := f.raw("POST", "/api/echo", wire{passKey: f.a.cred.PassKey, secrets: secrets}, body)
		if chunked {
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), -1
		}
		return f.do(r)
	}
	exact := body + strings.Repeat(" ", limit-len(body))
	assert.Equal(t, http.StatusOK, send(exact, false).status, "exactly the limit")
	assert.Equal(t, http.StatusOK, send(exact, true).status, "exactly the limit, chunked")
	expect(t, send(exact+" ", false), http.StatusBadRequest, wantBody)
	expect(t, send(exact+" ", true), http.StatusBadRequest, wantBody)
	expect(t, send(strings.Repeat("x", 10*limit), true), http.StatusBadRequest, wantBody)
	ex := f.last()
	assert.Equal(t, mockgateway.CheckBody, ex.Failed)
	assert.Equal(t, "larger than the body limit", ex.Checks[7].Reason)
}

func TestDefaultBodyLimitIsOneMiB(t *testing.T) {
	f := newFixture(t)
	req := f.good()
	body := bodyOfRequest(t, req)
	padded := body + strings.Repeat(" ", 1<<20-len(body))
	secrets := req.Header[envelope.HeaderSecretsName][0]
	r := f.raw("POST", "/api/echo", wire{passKey: f.a.cred.PassKey, secrets: secrets}, padded)
	assert.Equal(t, http.StatusOK, f.do(r).status)
	r = f.raw("POST", "/api/echo", wire{passKey: f.a.cred.PassKey, secrets: secrets}, padded+" ")
	expect(t, f.do(r), http.StatusBadRequest, wantBody)
}

func TestResponseIVsAreFresh(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for range 100 {
		got := f.do(f.good())
		require.Equal(t, http.StatusOK, got.status)
		pt, iv := openAnswer(t, f.a.key, got.body)
		assert.JSONEq(t, echoPayload, string(pt))
		assert.NotEqual(t, make([]byte, 16), iv, "all-zero IV")
		assert.False(t, seen[string(iv)], "IV repeated")
		seen[string(iv)] = true
		assert.Equal(t, iv, f.last().ResponseIV, "recorded IV")
	}
	assert.Len(t, seen, 100)
}

func TestDeclaredRoutes(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) {
		c.Routes = []mockgateway.Route{
			{Path: "/api/payout/status", Answer: []byte(`{"status":"SUCCESS"}`)},
			{Path: "/api/payout", Status: 422, Answer: []byte(`{"code":"LIMIT","message":"over"}`)},
			{Path: "/api/down", Status: 502, Answer: []byte(`{"error":"upstream"}`)},
			{Path: "/api/created", Status: 201, Method: "put", Answer: []byte(`{"id":7}`)},
			{Path: "/api/plain-echo"},
			{Path: mockgateway.EchoPath, Answer: []byte(`{"replaced":true}`)},
		}
	})
	call := func(method, path string) reply {
		req := f.sealed(f.a, path, f.epoch(), `{"n":1}`)
		req.Method = method
		return f.do(req)
	}
	assertSealed(t, f, call("POST", "/api/payout/status"), 200, `{"status":"SUCCESS"}`)
	assertSealed(t, f, call("PUT", "/api/created"), 201, `{"id":7}`)
	assertSealed(t, f, call("POST", "/api/plain-echo"), 200, `{"n":1}`)
	assertSealed(t, f, call("POST", mockgateway.EchoPath), 200, `{"replaced":true}`)
	expect(t, call("POST", "/api/payout"), 422, `{"code":"LIMIT","message":"over"}`)
	assert.Nil(t, f.last().ResponseIV)
	expect(t, call("POST", "/api/down"), 502, `{"error":"upstream"}`)
	expect(t, call("POST", "/api/created"), 404, wantRoute)
}

// assertSealed checks a sealed success answer with its opened JSON.
func assertSealed(t *testing.T, f *fixture, got reply, status int, want string) {
	t.Helper()
	require.Equal(t, status, got.status, string(got.body))
	assert.Equal(t, "application/json", got.header.Get("Content-Type"))
	pt, _ := openAnswer(t, f.a.key, got.body)
	assert.JSONEq(t, want, string(pt))
	assert.NotEmpty(t, f.last().ResponseIV)
}

func TestScriptedAnswers(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.gw.Script(mockgateway.EchoPath,
		mockgateway.Answer{Status: 503, JSON: []byte(`{"error":"busy"}`)},
		mockgateway.Answer{JSON: []byte(`{"ok":true}`)},
		mockgateway.Answer{Status: 200, JSON: []byte(`{"raw":1}`), Plain: true},
	))
	require.NoError(t, f.gw.Script("/api/only-scripted", mockgateway.Answer{Status: 409,
		JSON: []byte(`{"error":"duplicate"}`)}))
	assert.Equal(t, 4, f.gw.PendingScripts())

	bad := f.raw("POST", mockgateway.EchoPath, wire{passKey: "UNKNOWN"}, "{}")
	expect(t, f.do(bad), 401, wantPassKey)
	assert.Equal(t, 4, f.gw.PendingScripts(), "a failed call takes no scripted answer")

	expect(t, f.do(f.good()), 503, `{"error":"busy"}`)
	assert.True(t, f.last().Scripted)
	assertSealed(t, f, f.do(f.good()), 200, `{"ok":true}`)
	expect(t, f.do(f.good()), 200, `{"raw":1}`)
	assertSealed(t, f, f.do(f.good()), 200, echoPayload)
	assert.False(t, f.last().Scripted)

	onlyScripted := func() reply {
		return f.do(f.sealed(f.a, "/api/only-scripted", f.epoch(), "{}"))
	}
	expect(t, onlyScripted(), 409, `{"error":"duplicate"}`)
	expect(t, onlyScripted(), 404, wantRoute)
	assert.Zero(t, f.gw.PendingScripts())

	require.NoError(t, f.gw.Script(mockgateway.EchoPath, mockgateway.Answer{Status: 500,
		JSON: []byte(`{}`)}))
	f.gw.ClearScripts()
	assert.Zero(t, f.gw.PendingScripts())
	assert.Equal(t, http.StatusOK, f.do(f.good()).status)
}

func TestScriptRefusesBadAnswers(t *testing.T) {
	f := newFixture(t)
	for name, a := range map[string]mockgateway.Answer{
		"1xx status":          {Status: 101, JSON: []byte(`{}`)},
		"status above 599":    {Status: 600, JSON: []byte(`{}`)},
		"not JSON":            {JSON: []byte(`{oops`)},
		"error without JSON":  {Status: 400},
		"plain without JSON":  {Plain: true},
		"negative status":     {Status: -1, JSON: []byte(`{}`)},
		"empty but not nil":   {Status: 200, JSON: []byte{}},
		"trailing after JSON": {JSON: []byte(`{} {}`)},
	} {
		t.Run(name, func(t *testing.T) {
			err := f.gw.Script("/api/echo", mockgateway.Answer{JSON: []byte(`{}`)}, a)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "answer 1")
			assert.Zero(t, f.gw.PendingScripts(), "nothing queued on error")
		})
	}
}

// Scripts and calls on several goroutines; run under -race.
func TestScriptsConcurrently(t *testing.T) {
	f := newFixture(t)
	const n = 40
	done := make(chan int)
	for range 4 {
		go func() {
			ok := 0
			for range n / 4 {
				a := mockgateway.Answer{Status: 202, JSON: []byte(`{"g":1}`)}
				if f.gw.Script("/api/s", a) == nil {
					ok++
				}
				got := f.do(f.sealed(f.a, "/api/s", f.epoch(), "{}"))
				if got.status == 202 {
					ok++
				}
			}
			done <- ok
		}()
	}
	total := 0
	for range 4 {
		total += <-done
	}
	assert.Equal(t, 2*n, total, "every script queued and every call took one")
	assert.Zero(t, f.gw.PendingScripts())
}

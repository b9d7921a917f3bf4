package mockgateway_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

func TestRecorderHoldsTheExchange(t *testing.T) {
	f := newFixture(t)
	req := f.good()
	secrets := req.Header[envelope.HeaderSecretsName][0]
	body := bodyOfRequest(t, req)
	got := f.do(req)
	require.Equal(t, http.StatusOK, got.status)

	ex := f.last()
	assert.Equal(t, uint64(1), ex.Seq)
	assert.Equal(t, baseTime, ex.Time)
	assert.Positive(t, ex.Duration)
	assert.Equal(t, "POST", ex.Method)
	assert.Equal(t, "/api/echo", ex.Path)
	assert.Contains(t, ex.RemoteAddr, "127.0.0.1:")
	assert.Equal(t, []string{f.a.cred.PassKey[:4] + "…"}, ex.Headers["Pass_key"])
	assert.Equal(t, []string{secrets}, ex.Headers["Header_secrets"])
	assert.Equal(t, body, string(ex.Body))
	assert.Equal(t, len(body), ex.BodyBytes)
	assert.Equal(t, strings.TrimSuffix(strings.TrimPrefix(body, `{"RequestData":"`), `"}`),
		ex.RequestData)
	assert.Equal(t, "primary", ex.Client)
	assert.Equal(t, mockgateway.HeaderRecord{Opened: true, ClientID: f.a.cred.ClientID,
		Epoch: fmt.Sprint(f.epoch()), IDMatched: true, SecretMatched: true}, ex.Header)
	assert.JSONEq(t, echoPayload, string(ex.Payload))
	assert.Zero(t, ex.Failed)
	require.Len(t, ex.Checks, 11)
	assertVerdictsInOrder(t, ex)
	assert.Equal(t, 200, ex.Status)
	assert.Equal(t, got.body, ex.Answer)
	_, iv := openAnswer(t, f.a.key, got.body)
	assert.Equal(t, iv, ex.ResponseIV)
	assert.False(t, ex.Truncated)
	assertNoSecret(t, fmt.Sprintf("%+v %#v", ex, ex), f)
	js, err := json.Marshal(ex)
	require.NoError(t, err)
	assertNoSecret(t, string(js), f)
}

// The recorder tells which of the id and the secret matched.
func TestRecorderCredentialFlags(t *testing.T) {
	f := newFixture(t)
	a := f.a
	req := f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: headerToken(t, a.key,
		headerDoc(a.cred.ClientID, "wrong", fmt.Sprint(f.epoch())))}, "{}")
	expect(t, f.do(req), 401, wantCredentials)
	ex := f.last()
	assert.True(t, ex.Header.Opened)
	assert.True(t, ex.Header.IDMatched)
	assert.False(t, ex.Header.SecretMatched)
	assert.Equal(t, "client_secret does not match", ex.Checks[3].Reason)
	assert.NotContains(t, fmt.Sprintf("%+v", ex), "wrong")
}

// assertNoSecret checks that s shows no key, client secret or full pass
// key of either mock client.
func assertNoSecret(t *testing.T, s string, f *fixture) {
	t.Helper()
	for _, p := range []party{f.a, f.b} {
		assert.NotContains(t, s, p.cred.ClientSecret)
		assert.NotContains(t, s, p.cred.PassKey)
		assert.NotContains(t, s, base64.StdEncoding.EncodeToString(p.key))
		assert.NotContains(t, s, string(p.key))
		assert.NotContains(t, s, fmt.Sprint(p.key))
	}
	assert.NotContains(t, s, "client_secret\":")
}

func TestRecorderIsBounded(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.RecorderLimit = 5 })
	for range 8 {
		f.do(f.good())
	}
	ex := f.gw.Exchanges()
	require.Len(t, ex, 5)
	for i, e := range ex {
		assert.Equal(t, uint64(4+i), e.Seq, "oldest dropped first")
	}
	assert.Equal(t, 3, f.gw.Dropped())

	ex[0].Headers.Set("X-Changed", "yes")
	ex[0].Body[0] = 'X'
	again := f.gw.Exchanges()
	assert.Empty(t, again[0].Headers.Get("X-Changed"), "Exchanges returns a copy")
	assert.Equal(t, byte('{'), again[0].Body[0])

	f.gw.Reset()
	assert.Empty(t, f.gw.Exchanges())
	assert.Zero(t, f.gw.Dropped())
	f.do(f.good())
	assert.Equal(t, uint64(1), f.last().Seq)
}

func TestRecorderOff(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.RecorderLimit = mockgateway.RecorderOff })
	assert.Equal(t, http.StatusOK, f.do(f.good()).status)
	assert.Nil(t, f.gw.Exchanges())
	assert.Zero(t, f.gw.Dropped())
	f.gw.Reset()
}

// Large fields are cut at RecordedBytes.
func TestRecorderCutsLargeFields(t *testing.T) {
	f := newFixture(t)
	payload := `{"pad":"` + strings.Repeat("x", 2*mockgateway.RecordedBytes) + `"}`
	got := f.do(f.sealed(f.a, "/api/echo", f.epoch(), payload))
	require.Equal(t, http.StatusOK, got.status)
	ex := f.last()
	assert.True(t, ex.Truncated)
	assert.Len(t, ex.Body, mockgateway.RecordedBytes)
	assert.Greater(t, ex.BodyBytes, mockgateway.RecordedBytes)
	assert.Len(t, ex.Payload, mockgateway.RecordedBytes)
	assert.Len(t, ex.Answer, mockgateway.RecordedBytes)
	assert.Len(t, ex.RequestData, mockgateway.RecordedBytes)
	_, iv := openAnswer(t, f.a.key, got.body)
	assert.Equal(t, iv, ex.ResponseIV)
}

func TestLogsHoldNoSecret(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.ReplayDetection = true })
	a := f.a
	good := f.good()
	replay := f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey,
		secrets: good.Header[envelope.HeaderSecretsName][0]}, bodyOfRequest(t, good))
	reqs := []*http.Request{
		good, replay,
		f.sealed(f.b, "/api/echo", f.epoch(), echoPayload),
		f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey + "X", secrets: "AAAA"}, "{}"),
		f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: headerToken(t, a.key,
			headerDoc(a.cred.ClientID, a.cred.ClientSecret+"x", fmt.Sprint(f.epoch())))}, "{}"),
		f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: headerToken(t, a.key,
			headerDoc(a.cred.ClientID, a.cred.ClientSecret, "abc"))}, "{}"),
		f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: "AAAA"}, "{}"),
		f.sealed(a, "/api/nowhere", f.epoch(), echoPayload),
	}
	for _, req := range reqs {
		f.do(req)
	}
	logs := f.logs.String()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	require.Len(t, lines, len(reqs), "one line per exchange")
	assertNoSecret(t, logs, f)
	assert.NotContains(t, logs, a.cred.ClientID, "nothing of the opened header")
	assert.NotContains(t, logs, f.b.cred.ClientID)
	assert.NotContains(t, logs, good.Header[envelope.HeaderSecretsName][0])
	assert.NotContains(t, logs, "amount", "nothing of the payload")

	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	assert.Equal(t, "POST", first["method"])
	assert.Equal(t, "/api/echo", first["path"])
	assert.EqualValues(t, 200, first["status"])
	assert.Contains(t, first, "duration")
	assert.Equal(t, a.cred.PassKey[:4]+"…", first["pass_key"])
	assert.EqualValues(t, 401, second["status"])
	assert.EqualValues(t, 7, second["check"])
	assert.Equal(t, "replay", second["check_name"])
}

// Many clients at once; run under -race.
func TestConcurrentCalls(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) {
		c.ReplayDetection = true
		c.RecorderLimit = 50
	})
	const workers, calls = 8, 25
	type result struct {
		p       party
		payload string
		good    reply
		bad     reply
		err     error
	}
	results := make([][]result, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			p := []party{f.a, f.b}[g%2]
			for i := range calls {
				r := result{p: p, payload: fmt.Sprintf(`{"g":%d,"i":%d}`, g, i)}
				r.good, r.err = f.try(f.sealed(p, "/api/echo", f.epoch(), r.payload))
				if r.err == nil {
					r.bad, r.err = f.try(f.raw("POST", "/api/echo",
						wire{passKey: p.cred.PassKey, secrets: "AAAA"}, ""))
				}
				results[g] = append(results[g], r)
			}
		})
	}
	wg.Wait()
	for _, rs := range results {
		for _, r := range rs {
			require.NoError(t, r.err)
			require.Equal(t, http.StatusOK, r.good.status)
			pt, _ := openAnswer(t, r.p.key, r.good.body)
			assert.Equal(t, r.payload, string(pt))
			assert.Equal(t, wantHeader, string(r.bad.body))
		}
	}
	assert.Len(t, f.gw.Exchanges(), 50)
	assert.Equal(t, workers*calls*2-50, f.gw.Dropped())
}

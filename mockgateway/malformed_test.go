package mockgateway_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

// A panic inside the handler becomes a 500 with the generic body, and
// the log says so without the panic's content.
func TestPanicBecomesInternalError(t *testing.T) {
	var explode atomic.Bool
	var f *fixture
	f = newFixture(t, func(c *mockgateway.Config) {
		c.Clock = func() time.Time {
			if explode.Load() {
				panic("clock broke near " + f.a.cred.ClientSecret)
			}
			return baseTime
		}
	})
	explode.Store(true)
	expect(t, f.do(f.good()), http.StatusInternalServerError, wantInternal)
	logs := f.logs.String()
	assert.Contains(t, logs, `"level":"ERROR"`)
	assert.Contains(t, logs, `"panic":"string"`)
	assertNoSecret(t, logs, f)

	explode.Store(false)
	assert.Equal(t, http.StatusOK, f.do(f.good()).status, "the gateway still serves")
}

// hostileRequests are requests no client should send; none may get a
// 5xx.
func hostileRequests(f *fixture) []*http.Request {
	a := f.a
	secrets := f.sealedHeader(a, f.epoch())
	huge := strings.Repeat("A", 1<<16)
	bodies := []string{"", "null", "[]", `"x"`, "{", `{"RequestData":null}`,
		`{"RequestData":["a"]}`, `{"RequestData":""}`, `{"RequestData":"=="}`,
		`{"RequestData":"AAAA","RequestData":"AAAA"}`, bodyOf(huge), "\x00\xff\xfe",
		`{"RequestData":"\ud800"}`, strings.Repeat("[", 100000)}
	var reqs []*http.Request
	for _, b := range bodies {
		reqs = append(reqs, f.raw("POST", "/api/echo", wire{a.cred.PassKey, secrets}, b))
	}
	for _, s := range []string{"=", "====", huge, "A===", "AAAAAAAAAAAAAAAAAAAAAA==", "\t"} {
		reqs = append(reqs, f.raw("POST", "/api/echo", wire{a.cred.PassKey, s}, "{}"))
	}
	for _, method := range []string{"GET", "HEAD", "OPTIONS", "DELETE", "PATCH"} {
		req := f.good()
		req.Method = method
		reqs = append(reqs, req)
	}
	for _, path := range []string{"/", "/api/echo/", "/API/ECHO", "/api/echo%00", "/%2e%2e/etc"} {
		reqs = append(reqs, f.sealed(a, path, f.epoch(), echoPayload))
	}
	return reqs
}

func TestMalformedInputNeverGets5xx(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.ReplayDetection = true })
	for i, req := range hostileRequests(f) {
		got := f.do(req)
		assert.Less(t, got.status, 500, "request %d: %s", i, got.body)
		assert.NotContains(t, string(got.body), "ResponseData", "request %d", i)
	}
}

// FuzzGateway sends arbitrary headers and bodies, with the real pass key
// or not; no answer may be a 5xx or carry ResponseData.
func FuzzGateway(f *testing.F) {
	fx := newFixture(f)
	good := fx.good()
	goodSecrets := good.Header[envelope.HeaderSecretsName][0]
	// The fixed seeds are files in testdata/fuzz/FuzzGateway.
	f.Add(true, goodSecrets, []byte(bodyOfRequest(f, good)), "/api/echo")
	f.Add(true, fx.sealedHeader(fx.a, fx.epoch()), []byte(`{"RequestData":"`), "/api/echo")
	f.Fuzz(func(t *testing.T, realKey bool, secrets string, body []byte, path string) {
		passKey := "FUZZ"
		if realKey {
			passKey = fx.a.cred.PassKey
		}
		req, err := http.NewRequestWithContext(context.Background(), "POST",
			fx.srv.URL+"/"+strings.TrimLeft(path, "/"), bytes.NewReader(body))
		if err != nil {
			t.Skip("not a URL")
		}
		req.Header[envelope.HeaderPassKey] = []string{passKey}
		req.Header[envelope.HeaderSecretsName] = []string{secrets}
		resp, err := fx.client.Do(req)
		if err != nil {
			t.Skip("the client refused the request")
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, err = buf.ReadFrom(resp.Body)
		require.NoError(t, err)
		require.Less(t, resp.StatusCode, 500, buf.String())
		if resp.StatusCode >= 300 {
			require.NotContains(t, buf.String(), "ResponseData")
		}
	})
}

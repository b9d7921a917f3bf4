package mockgateway_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/internal/slowbody"
	"github.com/gwcert/gwcert/mockgateway"
)

// A served gateway cuts off a body that stalls or trickles without end
// after Config.BodyReadTimeout: the call is refused as check 8, and the
// gateway goes on serving.
func TestServedGatewayCutsOffABodyThatNeverEnds(t *testing.T) {
	const timeout = 400 * time.Millisecond
	for name, every := range map[string]time.Duration{
		"trickling": 20 * time.Millisecond, // never idle: only a whole-request deadline stops it
		"stalled":   time.Hour,             // the prefix, then nothing
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, func(c *mockgateway.Config) { c.BodyReadTimeout = timeout })
			srv, err := f.gw.Start(context.Background(), "127.0.0.1:0")
			require.NoError(t, err)
			t.Cleanup(func() { srv.Close() })

			res, err := slowbody.Send(context.Background(), slowbody.Request{
				URL: srv.URL + mockgateway.EchoPath, Header: f.validHeaders(), Every: every,
				Prefix: []byte(`{"RequestData":"`), Wait: 10 * time.Second})
			require.NoError(t, err)
			require.Equal(t, slowbody.Answered, res.Outcome, "the gateway answers, after %v", res.After)
			assert.Equal(t, http.StatusBadRequest, res.Status)
			assert.JSONEq(t, wantBody, string(res.Body))
			assert.GreaterOrEqual(t, res.After, timeout-100*time.Millisecond, "not before the timeout")
			assert.Less(t, res.After, timeout+3*time.Second, "soon after the timeout")

			ex := f.gw.Exchanges()
			require.Len(t, ex, 1)
			assert.Equal(t, mockgateway.CheckBody, ex[0].Failed)
			assertServes(t, f, srv.URL)
		})
	}
}

// validHeaders are the protocol headers of a correct call of the primary
// client at the fixture's epoch.
func (f *fixture) validHeaders() http.Header {
	f.t.Helper()
	var r envelope.Request
	require.NoError(f.t, f.a.codec.SealRequestAt(&r, f.a.cred, f.epoch(), []byte(echoPayload)))
	return http.Header{"Content-Type": {envelope.ContentTypeJSON},
		envelope.HeaderPassKey:     {f.a.cred.PassKey},
		envelope.HeaderSecretsName: {string(r.HeaderSecrets)}}
}

// assertServes makes a correct call to the server at url.
func assertServes(t *testing.T, f *fixture, url string) {
	t.Helper()
	req := f.good()
	req.URL.Host = strings.TrimPrefix(url, "http://")
	assertSealed(t, f, f.do(req), http.StatusOK, echoPayload)
}

func TestBodyReadTimeoutMustNotBeNegative(t *testing.T) {
	cfg := mockgateway.Config{Clients: []mockgateway.Client{mockParty(t, "primary", envelope.CBC).client()},
		BodyReadTimeout: -time.Second}
	_, err := mockgateway.New(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BodyReadTimeout: must not be negative")

	_, err = mockgateway.Serve(context.Background(), "127.0.0.1:0", http.NotFoundHandler(),
		mockgateway.ServeOptions{BodyReadTimeout: -time.Second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BodyReadTimeout")
}

package brokengw_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/checks"
	"github.com/gwcert/gwcert/suites/gateway/brokengw"
)

// Every fixture breaks something, says what, and names catalogue checks
// with the verdict their level gives in the default mode.
func TestAllIsWellFormed(t *testing.T) {
	level := map[reports.Level]reports.Verdict{reports.Must: reports.Fail,
		reports.Should: reports.Warn, reports.Note: reports.Warn}
	seen := map[string]bool{}
	for _, f := range brokengw.All() {
		assert.False(t, seen[f.Name], "two fixtures are called %q", f.Name)
		seen[f.Name] = true
		assert.NotEmpty(t, f.Breaks, f.Name)
		assert.True(t, f.Tune != nil || f.Wrap != nil || f.ReadTimeout != 0, "%s changes nothing", f.Name)
		require.NotEmpty(t, f.Want, f.Name)
		for id, v := range f.Want {
			def, ok := checks.Lookup(id)
			require.True(t, ok, "%s names %s, which is not in the catalogue", f.Name, id)
			assert.Equal(t, level[def.Level], v, "%s: %s is a %s check", f.Name, id, def.Level)
		}
	}
	got, ok := brokengw.ByName("stale-epoch")
	require.True(t, ok)
	assert.Equal(t, "stale-epoch", got.Name)
	_, ok = brokengw.ByName("no-such-fixture")
	assert.False(t, ok)
}

// Each fixture breaks one behaviour, not the gateway: a valid call to
// the echo still succeeds, over real HTTP on the loopback address.
func TestEveryFixtureStillAnswersAValidCall(t *testing.T) {
	for _, f := range brokengw.All() {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			srv, err := brokengw.Serve(f)
			require.NoError(t, err)
			defer srv.Close()
			assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
			status, body := validEcho(t, srv.URL)
			assert.Equal(t, http.StatusOK, status, "%s", body)
		})
	}
}

// A fixture the suite must fail really is broken: without its wrapper
// the mock refuses what the wrapper lets through.
func TestWrapperChangesTheAnswer(t *testing.T) {
	cases := map[string]func(*http.Request){
		"no-pass-key": func(r *http.Request) { r.Header.Del(envelope.HeaderPassKey) },
		"missing-header-secrets": func(r *http.Request) {
			r.Header.Del(envelope.HeaderSecretsName)
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			f, ok := brokengw.ByName(name)
			require.True(t, ok)
			broken, err := brokengw.Build(f)
			require.NoError(t, err)
			plain, err := brokengw.Build(brokengw.Fixture{Name: "mock"})
			require.NoError(t, err)
			assert.Equal(t, http.StatusUnauthorized, serve(t, plain, spoil))
			assert.Equal(t, http.StatusOK, serve(t, broken, spoil))
		})
	}
}

// Credentials whose key does not parse give a 500 that names the client
// and the cause, never the value.
func TestWrapWithBadCredentialsSaysWhy(t *testing.T) {
	f, ok := brokengw.ByName("plaintext-header")
	require.True(t, ok)
	cfg, err := mockgateway.FromProfile(profiles.Default(), profiles.MockCredentials)
	require.NoError(t, err)
	g, err := mockgateway.New(cfg)
	require.NoError(t, err)
	bad := map[string]profiles.Credentials{profiles.Primary: {PassKey: "PK", ClientID: "id",
		ClientSecret: "secret", Key: "not*a*key*but*a*secret*value"}}
	h := f.Wrap(g, bad)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, mockgateway.EchoPath, nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "client primary")
	assert.Contains(t, rec.Body.String(), "base64")
	assert.NotContains(t, rec.Body.String(), "secret*value")
}

// validEcho makes a correctly sealed call to the echo as the primary
// client and returns the answer.
func validEcho(t *testing.T, base string) (int, string) {
	t.Helper()
	req := sealedEcho(t)
	u := base + mockgateway.EchoPath
	httpReq, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(req.Body))
	require.NoError(t, err)
	envelope.SetHeaders(httpReq.Header, primary().PassKey, string(req.HeaderSecrets))
	resp, err := http.DefaultClient.Do(httpReq)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// serve sends a valid echo call, spoiled by spoil, straight to h.
func serve(t *testing.T, h http.Handler, spoil func(*http.Request)) int {
	t.Helper()
	req := sealedEcho(t)
	r := httptest.NewRequest(http.MethodPost, mockgateway.EchoPath, bytes.NewReader(req.Body))
	r.Header.Set(envelope.HeaderPassKey, primary().PassKey)
	r.Header.Set(envelope.HeaderSecretsName, string(req.HeaderSecrets))
	spoil(r)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code
}

// sealedEcho seals the echo's sample payload for the primary client now.
func sealedEcho(t *testing.T) envelope.Request {
	t.Helper()
	c := primary()
	key, err := envelope.ParseKey(c.Key, envelope.KeyBase64)
	require.NoError(t, err)
	codec, err := envelope.New(envelope.CBC, key)
	require.NoError(t, err)
	var req envelope.Request
	cred := envelope.Credentials{PassKey: c.PassKey, ClientID: c.ClientID,
		ClientSecret: c.ClientSecret}
	require.NoError(t, codec.SealRequest(&req, cred, []byte(`{"amount":"10.00"}`)))
	return req
}

func primary() profiles.Credentials { return profiles.MockCredentials[profiles.Primary] }

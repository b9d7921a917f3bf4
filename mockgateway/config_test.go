package mockgateway_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

func TestNewReportsEveryProblem(t *testing.T) {
	a := mockParty(t, profiles.Primary, envelope.CBC)
	good := a.client()
	dup := good
	dup.Name = "other"
	cfg := mockgateway.Config{
		Clients: []mockgateway.Client{
			good,
			{Name: "", PassKey: "has space", Key: []byte("short-secret-key")},
			dup,
		},
		Scheme:        "aes-128-ecb",
		EpochWindow:   1500 * time.Millisecond,
		MaxFutureSkew: -time.Second,
		MaxBodyBytes:  -1,
		Routes: []mockgateway.Route{
			{Path: "api/x"},
			{Path: "/api/y", Status: 404},
			{Path: "/api/z", Answer: []byte("{nope")},
			{Path: "/api/w", Method: "G T"},
			{Path: "/api/v", Status: 99, Answer: []byte(`{}`)},
			{Path: "/api/u"},
			{Path: "/api/u", Method: "post"},
		},
		Faults: mockgateway.Faults{Latency: -1, ErrorShare: 0.8, DropShare: 0.5},
	}
	_, err := mockgateway.New(cfg)
	var ce *mockgateway.ConfigError
	require.ErrorAs(t, err, &ce)
	want := []string{
		"Scheme: unknown scheme",
		"Clients[1].Name: required",
		"Clients[1].PassKey: must be printable ASCII",
		"Clients[1].ClientID: required",
		"Clients[1].ClientSecret: required",
		"Clients[1].Key: 16 bytes, want 32",
		"Clients[2].PassKey: same pass key as Clients[0]",
		"Clients[2].Key: same key as Clients[0]",
		"EpochWindow: must be whole seconds",
		"MaxFutureSkew: must not be negative",
		"MaxBodyBytes: must not be negative",
		"Routes[0].Path: must start with \"/\"",
		"Routes[1]: status 404 needs a JSON answer",
		"Routes[2]: answer is not JSON",
		"Routes[3].Method: not an HTTP method",
		"Routes[4]: status 99: want 200..599",
		"Routes[6]: same path and method as Routes[5]",
		"Faults.Latency: must not be negative",
		"Faults: ErrorShare plus DropShare must be at most 1",
	}
	for _, w := range want {
		assert.True(t, containsPrefix(ce.Problems, w), "missing problem %q in %q", w, ce.Problems)
	}
	assert.Len(t, ce.Problems, len(want))
	assert.NotContains(t, err.Error(), "short-secret-key")
	assert.NotContains(t, err.Error(), a.cred.ClientSecret)
	assert.NotContains(t, err.Error(), a.cred.PassKey)
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestNewNeedsAClient(t *testing.T) {
	_, err := mockgateway.New(mockgateway.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Clients: none")
}

func TestNewRefusesBadShares(t *testing.T) {
	for _, f := range []mockgateway.Faults{{ErrorShare: -0.1}, {DropShare: 1.5}} {
		_, err := mockgateway.New(mockgateway.Config{
			Clients: []mockgateway.Client{mockParty(t, profiles.Primary, "").client()},
			Faults:  f,
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "must be between 0 and 1")
	}
}

func TestClientPrintsNoSecret(t *testing.T) {
	f := newFixture(t)
	cfg := mockgateway.Config{Clients: []mockgateway.Client{f.a.client(), f.b.client()}}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		assertNoSecret(t, s, f)
		assert.NotContains(t, s, f.a.cred.ClientID)
		assert.Contains(t, s, "primary")
	}
}

func TestFromProfile(t *testing.T) {
	cfg, err := mockgateway.FromProfile(profiles.Default(), profiles.MockCredentials)
	require.NoError(t, err)
	assert.Equal(t, envelope.CBC, cfg.Scheme)
	assert.Equal(t, 300*time.Second, cfg.EpochWindow)
	require.Len(t, cfg.Clients, 2)
	assert.Equal(t, "peer", cfg.Clients[0].Name)
	assert.Equal(t, "primary", cfg.Clients[1].Name)

	f := newFixture(t, func(c *mockgateway.Config) {
		c.Clients, c.Routes = cfg.Clients, cfg.Routes
	})
	got := f.do(f.sealed(f.a, "/api/payout/status", f.epoch(), `{"reference":"PAY-000001"}`))
	assertSealed(t, f, got, 200,
		`{"reference":"PAY-000001","status":"SUCCESS","amount":"10.00"}`)
	assertSealed(t, f, f.do(f.good()), 200, echoPayload)
}

func TestFromProfileRawKeys(t *testing.T) {
	p := profiles.Default()
	p.KeyEncoding = "raw"
	key := "0123456789abcdef0123456789abcdef"
	creds := map[string]profiles.Credentials{"solo": {PassKey: "PK", ClientID: "id",
		ClientSecret: "s", Key: key}}
	cfg, err := mockgateway.FromProfile(p, creds)
	require.NoError(t, err)
	assert.Equal(t, []byte(key), cfg.Clients[0].Key)

	p.MaxFutureSkew = 0
	cfg, err = mockgateway.FromProfile(p, creds)
	require.NoError(t, err)
	assert.Equal(t, mockgateway.NoFutureSkew, cfg.MaxFutureSkew, "a profile's zero skew is none")

	creds["bad"] = profiles.Credentials{PassKey: "PK2", ClientID: "id2", ClientSecret: "s2",
		Key: "too-short-key-material"}
	p.Scheme = "rot13"
	_, err = mockgateway.FromProfile(p, creds)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "credentials.bad.key")
	assert.Contains(t, err.Error(), "profile.scheme")
	assert.NotContains(t, err.Error(), "too-short-key-material")
}

func TestStartAndClose(t *testing.T) {
	f := newFixture(t)
	srv, err := f.gw.Start(context.Background(), "127.0.0.1:0")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))

	req := f.good()
	req.URL.Host = strings.TrimPrefix(srv.URL, "http://")
	got := f.do(req)
	assertSealed(t, f, got, 200, echoPayload)

	require.NoError(t, srv.Close())
	<-srv.Done()
	_, err = http.Post(srv.URL+"/api/echo", "application/json", strings.NewReader("{}"))
	assert.Error(t, err, "closed")
	assert.NoError(t, srv.Close(), "closing twice is harmless")
}

func TestStartStopsWithContext(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := f.gw.Start(ctx, "127.0.0.1:0")
	require.NoError(t, err)
	cancel()
	select {
	case <-srv.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("server still running after its context ended")
	}
	assert.NoError(t, srv.Close())
}

func TestShutdown(t *testing.T) {
	f := newFixture(t)
	srv, err := f.gw.Start(context.Background(), "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, srv.Shutdown(context.Background()))
	_, err = http.Get(srv.URL)
	assert.Error(t, err)
}

func TestStartBadAddress(t *testing.T) {
	f := newFixture(t)
	_, err := f.gw.Start(context.Background(), "127.0.0.1:notaport")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "mockgateway: listen:"), err.Error())
	assert.False(t, errors.Is(err, context.Canceled))
}

// Serve runs any handler, such as a gateway wrapped by a test fixture.
func TestServeWrappedHandler(t *testing.T) {
	f := newFixture(t)
	var seen atomic.Int32
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		f.gw.ServeHTTP(w, r)
	})
	srv, err := mockgateway.Serve(context.Background(), "127.0.0.1:0", wrapped, mockgateway.ServeOptions{})
	require.NoError(t, err)
	defer srv.Close()
	req := f.good()
	req.URL.Host = strings.TrimPrefix(srv.URL, "http://")
	assertSealed(t, f, f.do(req), 200, echoPayload)
	assert.Equal(t, int32(1), seen.Load())
}

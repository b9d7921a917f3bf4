package profiles

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFillsDefaults(t *testing.T) {
	p, err := Parse([]byte("target: \"\"\n"), "profiles/minimal.yaml")
	require.NoError(t, err)

	want := &Profile{
		Name:          "minimal",
		Scheme:        "aes-256-cbc",
		KeyEncoding:   "base64",
		EpochWindow:   300 * time.Second,
		MaxFutureSkew: 60 * time.Second,
		MaxBodyBytes:  1048576,
		Routes: []Route{{
			Path:    "/api/echo",
			Method:  "POST",
			Payload: json.RawMessage(`{"amount":"10.00","currency":"INR"}`),
			Weight:  1,
			Status:  200,
		}},
		UnknownPath: "/api/does-not-exist",
		Clients: map[string]ClientRef{
			"primary": {"GWCERT_PASS_KEY", "GWCERT_CLIENT_ID", "GWCERT_CLIENT_SECRET", "GWCERT_KEY"},
			"peer": {"GWCERT_PEER_PASS_KEY", "GWCERT_PEER_CLIENT_ID",
				"GWCERT_PEER_CLIENT_SECRET", "GWCERT_PEER_KEY"},
		},
	}
	assert.Empty(t, cmp.Diff(want, p))
}

func TestParseFillsRouteAndClientDefaults(t *testing.T) {
	doc := `
routes:
  - path: /api/balance
  - path: /api/pay
    method: PUT
    weight: 5
    status: 202
clients:
  primary:
    key_env: MY_KEY
  backup:
    pass_key_env: B_PASS
    client_id_env: B_ID
    client_secret_env: B_SECRET
    key_env: B_KEY
`
	p, err := Parse([]byte(doc), "routes.yaml")
	require.NoError(t, err)

	require.Len(t, p.Routes, 2)
	assert.Equal(t, Route{Path: "/api/balance", Method: "POST",
		Payload: json.RawMessage(`{}`), Weight: 1, Status: 200}, p.Routes[0])
	assert.Equal(t, Route{Path: "/api/pay", Method: "PUT",
		Payload: json.RawMessage(`{}`), Weight: 5, Status: 202}, p.Routes[1])

	assert.Equal(t, ClientRef{"GWCERT_PASS_KEY", "GWCERT_CLIENT_ID",
		"GWCERT_CLIENT_SECRET", "MY_KEY"}, p.Clients["primary"])
	assert.Equal(t, "GWCERT_PEER_KEY", p.Clients["peer"].KeyEnv, "peer stays defaulted")
	assert.Equal(t, ClientRef{"B_PASS", "B_ID", "B_SECRET", "B_KEY"}, p.Clients["backup"])
}

func TestParseReadsEveryField(t *testing.T) {
	doc := `name: full
target: http://127.0.0.1:8080
scheme: aes-256-gcm
key_encoding: raw
epoch_window: 2m
max_future_skew: 0s
clock_margin: 1500ms
strict: true
replay_detection: true
max_body_bytes: 4096
routes:
  - path: /api/x
    method: GET
    payload: [1]
    expect_field: id
    weight: 2
    status: 201
    answer: {id: 7}
unknown_path: /nowhere
errors:
  G-6.8: {status: 413, text: too large}
`
	p, err := Parse([]byte(doc), "full.yaml")
	require.NoError(t, err)

	assert.Equal(t, "full", p.Name)
	assert.Equal(t, "http://127.0.0.1:8080", p.Target)
	assert.Equal(t, "aes-256-gcm", p.Scheme)
	assert.Equal(t, "raw", p.KeyEncoding)
	assert.Equal(t, 2*time.Minute, p.EpochWindow)
	assert.Equal(t, time.Duration(0), p.MaxFutureSkew)
	assert.Equal(t, 1500*time.Millisecond, p.ClockMargin)
	assert.True(t, p.Strict)
	assert.True(t, p.ReplayDetection)
	assert.Equal(t, int64(4096), p.MaxBodyBytes)
	assert.Equal(t, []Route{{Path: "/api/x", Method: "GET", Payload: json.RawMessage(`[1]`),
		ExpectField: "id", Weight: 2, Status: 201, Answer: json.RawMessage(`{"id":7}`)}}, p.Routes)
	assert.Equal(t, "/nowhere", p.UnknownPath)
	assert.Equal(t, map[string]ErrorExpectation{"G-6.8": {413, "too large"}}, p.Errors)
}

func TestParseNullKeepsDefault(t *testing.T) {
	p, err := Parse([]byte("scheme:\nepoch_window: ~\nroutes: []\nerrors:\n"), "null.yaml")
	require.NoError(t, err)

	assert.Equal(t, "aes-256-cbc", p.Scheme)
	assert.Equal(t, 300*time.Second, p.EpochWindow)
	require.Len(t, p.Routes, 1)
	assert.Equal(t, "/api/echo", p.Routes[0].Path)
	assert.Empty(t, p.Errors)
}

func TestShippedProfilesLoad(t *testing.T) {
	tests := []struct {
		file        string
		name        string
		target      string
		clockMargin time.Duration
		routes      []string
	}{
		{"mock.yaml", "mock", "", 0, []string{"/api/echo", "/api/payout/status"}},
		{"example.yaml", "example", "https://gateway.example.com", 2 * time.Second,
			[]string{"/api/payout/status", "/api/payout"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := Load(tt.file)
			require.NoError(t, err)

			assert.Equal(t, tt.name, p.Name)
			assert.Equal(t, tt.target, p.Target)
			assert.Equal(t, tt.target == "", p.IsMock())
			assert.Equal(t, tt.clockMargin, p.ClockMargin)
			var paths []string
			for _, r := range p.Routes {
				paths = append(paths, r.Path)
			}
			assert.Equal(t, tt.routes, paths)
			assert.Contains(t, p.Clients, "primary")
			assert.Contains(t, p.Clients, "peer")
		})
	}
}

func TestMockProfileServesDeclaredRoute(t *testing.T) {
	p, err := Load("mock.yaml")
	require.NoError(t, err)

	r, ok := p.Route("/api/payout/status")
	require.True(t, ok)
	assert.Equal(t, 200, r.Status)
	assert.JSONEq(t, `{"reference":"PAY-000001","status":"SUCCESS","amount":"10.00"}`,
		string(r.Answer))

	echo, ok := p.Route("/api/echo")
	require.True(t, ok)
	assert.Nil(t, echo.Answer, "the echo route leaves the answer to the mock")

	assert.Equal(t, ErrorExpectation{Status: 401, Text: "invalid pass_key"}, p.Errors["G-6.1"])
	assert.Equal(t, ErrorExpectation{Status: 404, Text: "unknown route"}, p.Errors["G-6.10"])
}

func TestDefaultIsTheMockProfile(t *testing.T) {
	fromFile, err := Load("mock.yaml")
	require.NoError(t, err)

	first := Default()
	assert.Empty(t, cmp.Diff(fromFile, first))

	first.Routes[0].Path = "/changed"
	first.Clients["primary"] = ClientRef{}
	second := Default()
	assert.Equal(t, "/api/echo", second.Routes[0].Path, "each call returns a fresh copy")
	assert.Equal(t, "GWCERT_KEY", second.Clients["primary"].KeyEnv)
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.yaml")

	_, err := Load(path)

	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "absent.yaml")
}

func TestURL(t *testing.T) {
	tests := []struct {
		target, path, want string
	}{
		{"https://gw.example.com", "/api/echo", "https://gw.example.com/api/echo"},
		{"https://gw.example.com/", "/api/echo", "https://gw.example.com/api/echo"},
		{"https://gw.example.com/base", "api/echo", "https://gw.example.com/base/api/echo"},
		{"http://127.0.0.1:8080/base/", "/x", "http://127.0.0.1:8080/base/x"},
	}
	for _, tt := range tests {
		p := &Profile{Target: tt.target}
		assert.Equal(t, tt.want, p.URL(tt.path), "%s + %s", tt.target, tt.path)
	}
}

package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values used only by these tests; the key is 32 bytes of 0x01..0x20 in
// standard base64, computed outside this package.
const (
	testPassKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST"
	testID      = "client-0042"
	testSecret  = "s3cr3t-value-that-must-not-leak"
	testKey     = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
	testRawKey  = "0123456789abcdef0123456789abcdef"
)

// env returns a lookup over a fixed map, in place of os.LookupEnv.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func primaryEnv() map[string]string {
	return map[string]string{
		"GWCERT_PASS_KEY":      testPassKey,
		"GWCERT_CLIENT_ID":     testID,
		"GWCERT_CLIENT_SECRET": testSecret,
		"GWCERT_KEY":           testKey,
	}
}

func TestCredentialsReadsNamedVariables(t *testing.T) {
	p, err := Parse([]byte("clients: {primary: {key_env: TEAM_KEY}}"), "c.yaml")
	require.NoError(t, err)
	vars := primaryEnv()
	delete(vars, "GWCERT_KEY")
	vars["TEAM_KEY"] = testKey

	c, err := p.Credentials("primary", env(vars))

	require.NoError(t, err)
	assert.Equal(t, Credentials{testPassKey, testID, testSecret, testKey}, c)
}

func TestCredentialsMissingVariables(t *testing.T) {
	p := Default()
	vars := primaryEnv()
	delete(vars, "GWCERT_CLIENT_ID")
	vars["GWCERT_KEY"] = ""

	_, err := p.Credentials("primary", env(vars))

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrMissingVariable)
	assert.Contains(t, err.Error(), "GWCERT_CLIENT_ID")
	assert.Contains(t, err.Error(), "GWCERT_KEY")
	assert.NotContains(t, err.Error(), "GWCERT_PASS_KEY", "only missing variables are named")
	for _, v := range []string{testPassKey, testSecret, testPassKey[:8]} {
		assert.NotContains(t, err.Error(), v)
	}
}

func TestCredentialsRejectsBadShapes(t *testing.T) {
	tests := []struct {
		name, encoding, variable, value, want string
	}{
		{"key too short", "base64", "GWCERT_KEY", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY", "GWCERT_KEY"},
		{"key url alphabet", "base64", "GWCERT_KEY",
			"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHy-_", "GWCERT_KEY"},
		{"key with newline", "base64", "GWCERT_KEY", testKey + "\n", "GWCERT_KEY"},
		{"raw key of 31", "raw", "GWCERT_KEY", testRawKey[:31], "GWCERT_KEY"},
		{"raw given base64", "raw", "GWCERT_KEY", testKey, "GWCERT_KEY"},
		{"pass key with space", "base64", "GWCERT_PASS_KEY", "ABCD EFGH", "GWCERT_PASS_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Default()
			p.KeyEncoding = tt.encoding
			vars := primaryEnv()
			vars[tt.variable] = tt.value

			_, err := p.Credentials("primary", env(vars))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), strings.TrimSpace(tt.value))
		})
	}
}

func TestCredentialsRawKey(t *testing.T) {
	p := Default()
	p.KeyEncoding = "raw"
	vars := primaryEnv()
	vars["GWCERT_KEY"] = testRawKey

	c, err := p.Credentials("primary", env(vars))

	require.NoError(t, err)
	assert.Equal(t, testRawKey, c.Key)
}

func TestCredentialsUnknownClient(t *testing.T) {
	_, err := Default().Credentials("third", env(primaryEnv()))

	require.Error(t, err)
	assert.Contains(t, err.Error(), `"third"`)
}

func TestHasClient(t *testing.T) {
	peer := map[string]string{
		"GWCERT_PEER_PASS_KEY": testPassKey, "GWCERT_PEER_CLIENT_ID": "peer",
		"GWCERT_PEER_CLIENT_SECRET": "x", "GWCERT_PEER_KEY": testKey,
	}
	partial := map[string]string{"GWCERT_PEER_PASS_KEY": testPassKey}
	emptyKey := map[string]string{
		"GWCERT_PEER_PASS_KEY": testPassKey, "GWCERT_PEER_CLIENT_ID": "peer",
		"GWCERT_PEER_CLIENT_SECRET": "x", "GWCERT_PEER_KEY": "",
	}
	tests := []struct {
		name   string
		client string
		vars   map[string]string
		want   bool
	}{
		{"peer fully set", "peer", peer, true},
		{"peer not set", "peer", primaryEnv(), false},
		{"peer partly set", "peer", partial, false},
		{"peer key empty", "peer", emptyKey, false},
		{"primary set", "primary", primaryEnv(), true},
		{"client not in profile", "third", peer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Default().HasClient(tt.client, env(tt.vars)))
		})
	}
}

func TestCredentialsAreMaskedWhenPrinted(t *testing.T) {
	c := Credentials{testPassKey, testID, testSecret, testKey}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("creds", "c", c)
	encoded, err := json.Marshal(c)
	require.NoError(t, err)

	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%s":   fmt.Sprintf("%s", c),
		"%q":   fmt.Sprintf("%q", c),
		"%x":   fmt.Sprintf("%x", c),
		"%d":   fmt.Sprintf("%d", c),
		"ptr":  fmt.Sprintf("%v", &c),
		"nest": fmt.Sprintf("%+v", struct{ C Credentials }{c}),
		"json": string(encoded),
		"slog": logged.String(),
	}
	for name, out := range outputs {
		for _, secret := range []string{testPassKey, testPassKey[:5], testID, testSecret, testKey,
			testKey[:8]} {
			assert.NotContains(t, out, secret, "%s: %s", name, out)
		}
		assert.Contains(t, out, "ABCD…", name)
		assert.Contains(t, out, "[redacted]", name)
	}
	assert.Equal(t, "{PassKey:ABCD… ClientID:[redacted] ClientSecret:[redacted] Key:[redacted]}",
		c.String())
}

func TestMaskingOfShortAndEmptyValues(t *testing.T) {
	tests := []struct {
		name string
		c    Credentials
		want string
	}{
		{"empty", Credentials{},
			"{PassKey: ClientID: ClientSecret: Key:}"},
		{"short pass key redacted whole", Credentials{PassKey: "short-key", Key: "k"},
			"{PassKey:[redacted] ClientID: ClientSecret: Key:[redacted]}"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.String(), tt.name)
	}
}

func TestOSLookupEnvIsALookup(t *testing.T) {
	t.Setenv("GWCERT_PEER_PASS_KEY", testPassKey)
	t.Setenv("GWCERT_PEER_CLIENT_ID", "peer-id")
	t.Setenv("GWCERT_PEER_CLIENT_SECRET", "peer-secret")
	t.Setenv("GWCERT_PEER_KEY", testKey)

	c, err := Default().Credentials("peer", os.LookupEnv)

	require.NoError(t, err)
	assert.Equal(t, Credentials{testPassKey, "peer-id", "peer-secret", testKey}, c)
}

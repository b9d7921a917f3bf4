package profiles

import (
	"bufio"
	"bytes"
	"encoding/base32"
	"encoding/base64"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMockCredentialsHaveTheDocumentedShape(t *testing.T) {
	require.Len(t, MockCredentials, 2)
	for _, name := range []string{"primary", "peer"} {
		c, ok := MockCredentials[name]
		require.True(t, ok, name)

		assert.Len(t, c.Key, 44, name)
		key, err := base64.StdEncoding.Strict().DecodeString(c.Key)
		require.NoError(t, err, name)
		assert.Len(t, key, 32, name)

		assert.Regexp(t, `^[A-Z2-7]{52}$`, c.PassKey, name)
		pass, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(c.PassKey)
		require.NoError(t, err, name)
		assert.Len(t, pass, 32, name)

		assert.NotEmpty(t, c.ClientID, name)
		assert.NotEmpty(t, c.ClientSecret, name)
	}
	p, q := MockCredentials["primary"], MockCredentials["peer"]
	assert.NotEqual(t, p.Key, q.Key, "keys are client-specific")
	assert.NotEqual(t, p.PassKey, q.PassKey)
	assert.NotEqual(t, p.ClientID, q.ClientID)
	assert.NotEqual(t, p.ClientSecret, q.ClientSecret)
}

// commentedVariables reads the NAME=value lines of mock.yaml's comments.
func commentedVariables(t *testing.T) map[string]string {
	t.Helper()
	line := regexp.MustCompile(`^#\s+([A-Z_]+)=(\S+)$`)
	vars := map[string]string{}
	scan := bufio.NewScanner(bytes.NewReader(mockYAML))
	for scan.Scan() {
		if m := line.FindStringSubmatch(scan.Text()); m != nil {
			vars[m[1]] = m[2]
		}
	}
	require.NoError(t, scan.Err())
	return vars
}

func TestMockYAMLCommentListsMockCredentials(t *testing.T) {
	vars := commentedVariables(t)
	require.Len(t, vars, 8)
	p := Default()

	for _, name := range []string{"primary", "peer"} {
		c, err := p.Credentials(name, env(vars))

		require.NoError(t, err, name)
		assert.Equal(t, MockCredentials[name], c, name)
	}
}

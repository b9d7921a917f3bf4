package main

import (
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/profiles"
)

// The demo runs every job against the bundled mock with its known
// credentials, prints the summary table and writes the page. It is also
// the secret-hygiene test: no file it wrote and nothing it printed may
// hold any part of a key, a client secret or a pass key.
func TestDemoWritesThePageAndLeaksNoSecret(t *testing.T) {
	t.Parallel()
	needNode(t)
	out := filepath.Join(t.TempDir(), "demo")
	res := gwcert(t, 3*time.Minute, "demo", "--out", out, "--load-duration", "2s", "--load-rate", "100")
	require.Equal(t, 0, res.code, res.stdout+res.stderr)
	for _, job := range []string{"kat", "gateway", "client", "load"} {
		assert.Regexp(t, `(?m)^`+job+`\s+PASS\s`, res.stdout, "summary row of %s", job)
		assert.FileExists(t, filepath.Join(out, job, "report.json"))
	}
	page := filepath.Join(out, "index.html")
	assert.Contains(t, res.stdout, "report: "+page)
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.Contains(t, string(html), "G-6.5")

	texts := map[string]string{"stdout": res.stdout, "stderr": res.stderr}
	require.NoError(t, filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		texts[path] = string(b)
		return err
	}))
	assert.Greater(t, len(texts), 12, "every job's files were read")
	for name, text := range texts {
		t.Run(filepath.Base(name), func(t *testing.T) { assertNoSecretPart(t, text) })
	}
}

// The hygiene check itself must catch every form of every secret: a
// report that printed a key would fail the demo test.
func TestSecretCheckCatchesALeak(t *testing.T) {
	c := profiles.MockCredentials[profiles.Primary]
	key, err := base64.StdEncoding.DecodeString(c.Key)
	require.NoError(t, err)
	for _, leak := range []string{c.Key, hex.EncodeToString(key), string(key), c.ClientSecret, c.PassKey,
		c.Key[5:15]} {
		assert.NotEmpty(t, secretParts(`{"evidence":"`+leak+`"}`), "a %d-character leak went unseen", len(leak))
	}
	assert.Empty(t, secretParts(`{"pass_key":"`+c.PassKey[:4]+`…"}`), "a masked pass key is allowed")
}

package vectors_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/vectors"
)

var digestForm = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func loadBytes(t *testing.T, name string, data []byte) *vectors.File {
	t.Helper()
	files, err := vectors.Load(writeFile(t, t.TempDir(), name, string(data)))
	require.NoError(t, err)
	return files[0]
}

func TestDigestIsStable(t *testing.T) {
	t.Parallel()
	first := vectors.Digest(builtin(t))
	assert.Regexp(t, digestForm, first)
	assert.Equal(t, first, vectors.Digest(builtin(t)))
}

func TestDigestChangesWithOneByte(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("gwcert", "aes_256_gcm_test.json"))
	require.NoError(t, err)
	tag := []byte(`"530f8afbc74536b9a963b4f1c4cb738b"`)
	require.Equal(t, 1, bytes.Count(data, tag))
	changed := bytes.Replace(data, tag, []byte(`"530f8afbc74536b9a963b4f1c4cb738c"`), 1)

	orig := loadBytes(t, "aes_256_gcm_test.json", data)
	edit := loadBytes(t, "aes_256_gcm_test.json", changed)
	assert.NotEqual(t, vectors.Digest([]*vectors.File{orig}),
		vectors.Digest([]*vectors.File{edit}))
}

func TestDigestIgnoresLayoutOnly(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("gwcert", "request_test.json"))
	require.NoError(t, err)
	var flat bytes.Buffer
	require.NoError(t, json.Compact(&flat, data))
	crlf := bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))

	want := vectors.Digest([]*vectors.File{loadBytes(t, "request_test.json", data)})
	for _, layout := range [][]byte{flat.Bytes(), crlf} {
		got := vectors.Digest([]*vectors.File{loadBytes(t, "request_test.json", layout)})
		assert.Equal(t, want, got)
	}
}

func TestDigestDependsOnNamesAndOrder(t *testing.T) {
	t.Parallel()
	files := builtin(t)
	whole := vectors.Digest(files)

	swapped := append([]*vectors.File{files[1], files[0]}, files[2:]...)
	assert.NotEqual(t, whole, vectors.Digest(swapped))
	assert.NotEqual(t, whole, vectors.Digest(files[1:]))

	data, err := os.ReadFile(filepath.Join("gwcert", "request_test.json"))
	require.NoError(t, err)
	a := loadBytes(t, "request_test.json", data)
	b := loadBytes(t, "renamed_test.json", data)
	assert.NotEqual(t, vectors.Digest([]*vectors.File{a}), vectors.Digest([]*vectors.File{b}))
}

func TestDigestOfFileBuiltInMemory(t *testing.T) {
	t.Parallel()
	f := &vectors.File{Name: "x.json", Algorithm: "AES-GCM", NumberOfTests: 0}
	before := vectors.Digest([]*vectors.File{f})
	assert.Regexp(t, digestForm, before)

	f.Algorithm = "AES-CBC-PKCS5"
	assert.NotEqual(t, before, vectors.Digest([]*vectors.File{f}))
}

package vectors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/vectors"
)

const smallFile = `{
  "algorithm": "AES-GCM",
  "schema": "aead_test_schema_v1.json",
  "numberOfTests": 2,
  "header": ["two tests"],
  "notes": {"Ktv": {"bugType": "BASIC", "description": "known", "cves": ["x"]}},
  "testGroups": [{
    "type": "AeadTest", "keySize": 256, "ivSize": 96, "tagSize": 128,
    "source": {"name": "somewhere", "version": "1"},
    "tests": [
      {"tcId": 1, "comment": "a", "flags": ["Ktv"], "key": "00", "result": "valid"},
      {"tcId": 2, "comment": "b", "flags": [], "tag": "ff", "result": "%s"}
    ]
  }]
}`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func small(result string) string {
	return replaceOnce(smallFile, "%s", result)
}

// replaceOnce replaces the one occurrence of old, which must be present.
func replaceOnce(s, old, repl string) string {
	if strings.Count(s, old) != 1 {
		panic("replaceOnce: " + old + " does not occur exactly once")
	}
	return strings.Replace(s, old, repl, 1)
}

func TestLoadOneFileReadsEveryField(t *testing.T) {
	t.Parallel()
	p := writeFile(t, t.TempDir(), "small_test.json", small("acceptable"))

	files, err := vectors.Load(p)
	require.NoError(t, err)
	require.Len(t, files, 1)
	f := files[0]
	assert.Equal(t, "small_test.json", f.Name)
	assert.Equal(t, "AES-GCM", f.Algorithm)
	assert.Equal(t, 2, f.NumberOfTests)
	assert.Equal(t, []string{"two tests"}, f.Header)
	assert.Equal(t, vectors.Note{BugType: "BASIC", Description: "known"}, f.Notes["Ktv"])

	g := f.TestGroups[0]
	assert.Equal(t, []int{256, 96, 128}, []int{g.KeySize, g.IVSize, g.TagSize})
	assert.Equal(t, "00", g.Tests[0].Key)
	assert.Equal(t, "ff", g.Tests[1].Tag)
	assert.Equal(t, vectors.Acceptable, g.Tests[1].Result)
}

func TestLoadDirectorySkipsSchemasAndSortsByName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "b_test.json", small("invalid"))
	writeFile(t, dir, "a_test.json", small("valid"))
	writeFile(t, dir, "some_schema.json", `{"type": "object"}`)
	writeFile(t, dir, "list.json", `[1, 2]`)
	writeFile(t, dir, "notes.txt", "not json")

	files, err := vectors.Load(dir)
	require.NoError(t, err)
	require.Len(t, files, 2)
	assert.Equal(t, "a_test.json", files[0].Name)
	assert.Equal(t, "b_test.json", files[1].Name)
}

func TestLoadCommittedDirectoriesMatchBuiltin(t *testing.T) {
	t.Parallel()
	own, err := vectors.Load("gwcert")
	require.NoError(t, err)
	vendored, err := vectors.Load("wycheproof")
	require.NoError(t, err)
	require.Len(t, vendored, 2, "the two schemas are skipped")

	assert.Equal(t, vectors.Digest(builtin(t)), vectors.Digest(append(own, vendored...)))
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		content string
		want    []string
	}{
		{"malformed", `{"algorithm": "AES-GCM", "testGroups": [`, []string{"not valid JSON"}},
		{"unknown result", small("maybe"), []string{"tcId 2", `unknown result "maybe"`}},
		{"count mismatch", replaceOnce(small("valid"), `"numberOfTests": 2`,
			`"numberOfTests": 5`), []string{"numberOfTests is 5", "holds 2 tests"}},
		{"repeated tcId", replaceOnce(small("valid"), `"tcId": 2`, `"tcId": 1`),
			[]string{"tcId 1 appears more than once"}},
		{"wrong type", replaceOnce(small("valid"), `"tcId": 2`, `"tcId": "two"`),
			[]string{"tcId"}},
		{"no groups", `{"type": "object"}`, []string{"not a vector file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := writeFile(t, t.TempDir(), "broken_test.json", c.content)

			_, err := vectors.Load(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), p, "the error names the file")
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadDirectoryRejectsOneBadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "a_test.json", small("valid"))
	bad := writeFile(t, dir, "b_test.json", `{"testGroups": [}`)

	_, err := vectors.Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad)
}

func TestLoadRejectsMissingPathAndEmptyDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nowhere")

	_, err := vectors.Load(missing)
	require.Error(t, err)
	assert.Contains(t, err.Error(), missing)

	_, err = vectors.Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no vector files")
}

func TestFromHex(t *testing.T) {
	t.Parallel()
	b, err := vectors.FromHex("00ff10Ab", "key")
	require.NoError(t, err)
	assert.Equal(t, []byte{0x00, 0xff, 0x10, 0xab}, b)

	b, err = vectors.FromHex("", "aad")
	require.NoError(t, err)
	assert.Empty(t, b)

	_, err = vectors.FromHex("00s3cr3t", "key")
	require.EqualError(t, err, "vectors: field key: byte at offset 2 is not a hex digit")

	_, err = vectors.FromHex("abc", "iv")
	require.EqualError(t, err, "vectors: field iv: odd number of hex digits (3)")
}

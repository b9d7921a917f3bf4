package vectors_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratorReproducesCommittedFiles runs gen/generate.js into a
// temporary directory and requires the committed gwcert/ files byte for
// byte, so the files can always be rebuilt and reviewed from the generator.
func TestGeneratorReproducesCommittedFiles(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: cannot check that gen/generate.js reproduces gwcert/")
	}
	out := t.TempDir()
	cmd := exec.CommandContext(t.Context(), node, filepath.Join("gen", "generate.js"), out)
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "generate.js failed: %s", output)

	committed := jsonNames(t, "gwcert")
	require.Equal(t, committed, jsonNames(t, out), "generated and committed file names")
	for _, name := range committed {
		want, err := os.ReadFile(filepath.Join("gwcert", name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "%s differs from the generator's output "+
			"from byte %d on; run `go generate ./vectors` and review", name, firstDiff(want, got))
	}
}

func jsonNames(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	sort.Strings(names)
	return names
}

func firstDiff(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

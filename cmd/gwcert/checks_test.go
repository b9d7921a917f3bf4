package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's check catalogue is the output of `gwcert checks
// --markdown`; regenerate it with that command when this fails.
func TestReadmeCatalogueMatchesTheProgram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	require.NoError(t, err)
	text := string(readme)
	begin, end := strings.Index(text, "<!-- checks:begin -->\n"), strings.Index(text, "<!-- checks:end -->")
	require.True(t, begin >= 0 && end > begin, "README.md lacks the checks:begin/end markers")
	var want bytes.Buffer
	require.NoError(t, writeChecksMarkdown(&want))
	require.Equal(t, want.String(), text[begin+len("<!-- checks:begin -->\n"):end],
		"README's catalogue drifted: run 'gwcert checks --markdown' and paste it between the markers")
}

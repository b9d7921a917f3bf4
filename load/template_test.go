package load

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidV4 = regexp.MustCompile(
	`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTemplateFillsEveryPlaceholder(t *testing.T) {
	tmpl, err := parseTemplate([]byte(
		`{"ref":"PAY-{{seq}}","id":"{{uuid}}","at":"{{now}}","unix":"{{unix}}","odd":"{{ x }} {{"}`))
	require.NoError(t, err)
	at := time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.FixedZone("IST", 19800))

	var first, second map[string]string
	require.NoError(t, json.Unmarshal(tmpl.render(nil, 42, at), &first))
	require.NoError(t, json.Unmarshal(tmpl.render(nil, 43, at), &second))

	assert.Equal(t, "PAY-42", first["ref"])
	assert.Equal(t, "PAY-43", second["ref"])
	assert.Equal(t, "2026-01-01T21:34:05.678Z", first["at"], "UTC, milliseconds")
	assert.Equal(t, strconv.FormatInt(at.Unix(), 10), first["unix"])
	assert.Equal(t, "{{ x }} {{", first["odd"], "text that is no placeholder stays")
	assert.Regexp(t, uuidV4, first["id"])
	assert.Regexp(t, uuidV4, second["id"])
	assert.NotEqual(t, first["id"], second["id"])
}

func TestTemplateRefusesUnknownPlaceholder(t *testing.T) {
	_, err := parseTemplate([]byte(`{"ref":"{{sequence}}"}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "{{sequence}}")
	assert.Contains(t, err.Error(), "seq")
}

func TestTemplateWithoutPlaceholdersIsThePayload(t *testing.T) {
	payload := `{"amount":"10.00","currency":"INR"}`
	tmpl, err := parseTemplate([]byte(payload))
	require.NoError(t, err)
	assert.Equal(t, payload, string(tmpl.render(nil, 7, time.Now())))
}

package envelope_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

// checkHeaderParseAgainstStdlib is the differential property of the strict
// header parser: it never accepts what encoding/json calls invalid, and
// whatever it accepts, encoding/json reads as exactly the same three
// string members.
func checkHeaderParseAgainstStdlib(t *testing.T, data []byte) {
	t.Helper()
	h, err := envelope.ParseHeaderJSON(data)
	if err != nil {
		var e *envelope.Error
		require.ErrorAs(t, err, &e, "every refusal is an *envelope.Error")
		require.Contains(t, []envelope.Kind{envelope.KindJSON, envelope.KindMember}, e.Kind, "%v", err)
		require.NotEmpty(t, e.Field, "%v", err)
		if !envelope.IsEpochError(err) {
			require.Zero(t, h, "no partial result")
			return
		}
		// A bad epoch value alone returns the members: the document is
		// otherwise a valid header, and encoding/json reads the same.
		var m map[string]string
		require.NoError(t, json.Unmarshal(data, &m), "%q", data)
		require.Equal(t, h.Epoch, m["epoch"])
		return
	}
	require.True(t, json.Valid(data), "accepted what encoding/json calls invalid: %q", data)
	var m map[string]string
	require.NoError(t, json.Unmarshal(data, &m), "%q", data)
	require.Equal(t, map[string]string{
		"client_id": h.ClientID, "client_secret": h.ClientSecret, "epoch": h.Epoch,
	}, m, "%q", data)
	require.Regexp(t, `^[0-9]{1,19}$`, h.Epoch)
}

// headerFuzzSeeds are the documents FuzzParseHeaderJSON starts from, and
// the table TestParseHeaderJSONAgreesWithStdlib runs in every test run.
func headerFuzzSeeds() []string {
	seeds := []string{
		`{"client_id":"GW-CLIENT-0001","client_secret":"Zk3pQ9rT2vX8mW5n","epoch":"1727954878"}`,
		` { "epoch" : "0" , "client_secret" : "" , "client_id" : "" } `,
		`{"client_id":"\ud83d\udd11\u00e9\"\\\/\b\f\n\r\t","client_secret":"s","epoch":"1"}`,
		`{"client_id":"\ud800","client_secret":"\udc00\ud800","epoch":"1"}`,
		`{"client\u005fid":"a","client_secret":"b","epoch":"1"}`,
		`{"Client_id":"a","client_secret":"b","epoch":"1727954878123"}`,
		`{"client_id":"a","client_secret":"b","epoch":1727954878}`,
		`{"client_id":"a","client_secret":"b","epoch":"1","client_id":"a"}`,
		`["a","b","1"]`, `"a"`, `null`, ``, `{}`, `{"client_id":"a",}`,
		"{\"client_id\":\"\xff\",\"client_secret\":\"b\",\"epoch\":\"1\"}",
		"{\"client_id\":\"\x01\",\"client_secret\":\"b\",\"epoch\":\"1\"}",
		`{"client_id":"a","client_secret":"b","epoch":"1"} x`,
		`{"client_id":"\uZZZZ"}`, `{"client_id":"\`, `{"client_id":"a`,
	}
	for _, tc := range headerRejects() {
		seeds = append(seeds, tc.doc)
	}
	return seeds
}

func TestParseHeaderJSONAgreesWithStdlib(t *testing.T) {
	for _, doc := range headerFuzzSeeds() {
		checkHeaderParseAgainstStdlib(t, []byte(doc))
	}
}

func FuzzParseHeaderJSON(f *testing.F) {
	for _, doc := range headerFuzzSeeds() {
		f.Add([]byte(doc))
	}
	f.Fuzz(checkHeaderParseAgainstStdlib)
}

// Offsets point at the fault in the document (for the epoch, in its value).
func TestParseHeaderJSONOffsets(t *testing.T) {
	valid := `{"client_id":"a","client_secret":"b","epoch":"1"}`
	cases := map[string]int{
		"{\"client_id\":\"GW\x01\"}": len(`{"client_id":"GW`),
		`{"client_id" "GW"}`:         len(`{"client_id" `),
		`{"client_id":"G\x"}`:        len(`{"client_id":"G`),
		valid + " x":                 len(valid) + 1,
		`{"client_id":"a","client_secret":"b","epoch":"17e9"}`: 2,
	}
	for doc, want := range cases {
		_, err := envelope.ParseHeaderJSON([]byte(doc))
		var e *envelope.Error
		require.ErrorAs(t, err, &e, doc)
		assert.Equal(t, want, e.Offset, "%q: %v", doc, err)
	}
}

// Where encoding/json is lenient (it replaces invalid UTF-8 in strings),
// the header parser is strict.
func TestParseHeaderJSONStricterThanStdlibOnUTF8(t *testing.T) {
	doc := []byte("{\"client_id\":\"a\xff\",\"client_secret\":\"b\",\"epoch\":\"1\"}")
	require.True(t, json.Valid(doc), "premise: encoding/json accepts invalid UTF-8")
	_, err := envelope.ParseHeaderJSON(doc)
	assert.Equal(t, envelope.KindJSON, envelope.KindOf(err))
	assert.Contains(t, err.Error(), "invalid UTF-8")
}

// A hostile member name must not fill a report or break its lines.
func TestParseHeaderJSONBoundsMemberNames(t *testing.T) {
	long := strings.Repeat("n", 5000)
	docs := []string{
		`{"` + long + `":"x"}`,
		`{"` + long + `":1}`,
		`{"bad\nname":"x"}`,
		`{"bad\nname":1}`,
	}
	for _, doc := range docs {
		_, err := envelope.ParseHeaderJSON([]byte(doc))
		require.Error(t, err)
		msg := err.Error()
		assert.Less(t, len(msg), 200, "error text of %d bytes", len(msg))
		assert.False(t, strings.ContainsFunc(msg, unicode.IsControl), "control character in %q", msg)
	}
}

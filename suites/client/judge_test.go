package client

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// testAnalysis returns an analysis over an empty session against the
// bundled mock's profile, for judging hand-made values.
func testAnalysis(t *testing.T) *analysis {
	t.Helper()
	w, err := newWorld(profiles.Default())
	require.NoError(t, err)
	return &analysis{s: &Session{}, w: w}
}

// sealHeader seals header JSON with the mock client's key, as a client
// would.
func sealHeader(t *testing.T, a *analysis, doc string) string {
	t.Helper()
	tok, err := a.w.codec.Seal([]byte(doc))
	require.NoError(t, err)
	return tok
}

func mockSecrets() (profiles.Credentials, []byte) {
	c := profiles.MockCredentials[profiles.Primary]
	key, _ := base64.StdEncoding.DecodeString(c.Key)
	return c, key
}

func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	c, key := mockSecrets()
	for _, s := range []string{c.Key, hex.EncodeToString(key), c.ClientSecret, c.PassKey} {
		assert.NotContains(t, text, s)
	}
}

func TestEpochFault(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	window, skew := 300*time.Second, 60*time.Second
	cases := []struct{ epoch, fault string }{
		{"1800000000", ""},
		{"1799999700", ""}, // exactly the window old
		{"1799999699", "epoch 1799999699 is 301 s old (epoch_window 300 s)"},
		{"1800000060", ""}, // exactly the skew ahead
		{"1800000061", "epoch 1800000061 is 61 s ahead of the gateway's clock (max_future_skew 60 s)"},
		{"1800000000123", "epoch 1800000000123 has 13 digits: it is in milliseconds, not seconds"},
		{"1800000000.5", `epoch "1800000000.5" is not decimal seconds`},
		{"-5", `epoch "-5" is not decimal seconds`},
		{"", `epoch "" is not decimal seconds`},
		{"99999999999999999999", `epoch "99999999999999999999" is not decimal seconds`},
	}
	for _, tc := range cases {
		got := epochFault(tc.epoch, now, window, skew)
		if tc.fault == "" {
			assert.Empty(t, got, tc.epoch)
		} else {
			assert.Contains(t, got, tc.fault, tc.epoch)
		}
	}
}

func TestHeaderShapeFault(t *testing.T) {
	a := testAnalysis(t)
	c := a.w.creds
	good := `{"client_id":"` + c.ClientID + `","client_secret":"` + c.ClientSecret + `","epoch":"1"}`
	cases := []struct{ doc, fault string }{
		{good, ""},
		{`{"epoch":"1","client_secret":"` + c.ClientSecret + `","client_id":"` + c.ClientID + `"}`, ""},
		{strings.Replace(good, "client_id", "Client_id", 1),
			`member "Client_id" must be written "client_id": the names are lower case`},
		{strings.Replace(good, `"epoch":"1"`, `"epoch":1`, 1), "epoch is a JSON number, not a string"},
		{strings.Replace(good, `}`, `,"nonce":"x"}`, 1), `unexpected member "nonce"`},
		{strings.Replace(good, `}`, `,"epoch":"2"}`, 1), `member "epoch" appears twice`},
		{strings.Replace(good, `,"epoch":"1"`, ``, 1), `member "epoch" is missing`},
		{strings.Replace(good, c.ClientID, "someone-else", 1), `client_id "someone-else" is not this`},
		{strings.Replace(good, c.ClientSecret, "wrong", 1), "client_secret is not this client's"},
		{`["client_id"]`, "opens to text that is not one JSON object"},
	}
	for _, tc := range cases {
		h := a.viewHeader([]string{sealHeader(t, a, tc.doc)})
		got := a.headerShapeFault(h)
		if tc.fault == "" {
			assert.Empty(t, got, tc.doc)
		} else {
			assert.Contains(t, got, tc.fault, tc.doc)
		}
		assertNoSecret(t, got)
	}
}

func TestHeaderThatIsNotATokenOfTheKey(t *testing.T) {
	a := testAnalysis(t)
	c := a.w.creds
	plain := `{"client_id":"` + c.ClientID + `","client_secret":"` + c.ClientSecret + `","epoch":"1"}`
	h := a.viewHeader([]string{plain})
	assert.True(t, h.plain)
	assert.Contains(t, a.headerShapeFault(h), "sent unencrypted")

	other, err := envelope.New(envelope.CBC, make([]byte, 32))
	require.NoError(t, err)
	tok, err := other.Seal([]byte(plain))
	require.NoError(t, err)
	h = a.viewHeader([]string{tok})
	assert.False(t, h.opened)
	assert.Contains(t, a.headerShapeFault(h), "does not open with the client's key")
	assert.Contains(t, a.shownHeader(h), "not shown")
	assert.NotContains(t, a.shownHeader(h), tok[:20], "a token of another key is not shown")
}

// Evidence shows an opened header with the client secret as [redacted],
// also when the secret hides under another member name, and never the
// secret itself.
func TestShownHeaderRedactsTheSecret(t *testing.T) {
	a := testAnalysis(t)
	c := a.w.creds
	docs := []string{
		`{"client_id":"` + c.ClientID + `","client_secret":"` + c.ClientSecret + `","epoch":"1"}`,
		`{"Client_Secret":"` + c.ClientSecret + `","id":"` + c.ClientID + `"}`,
		`{"client_id":"` + c.ClientID + `","secret":"` + c.ClientSecret + `","key":"` + c.Key + `"}`,
	}
	for _, doc := range docs {
		for _, value := range []string{sealHeader(t, a, doc), doc} { // sealed, and sent plain
			shown := a.shownHeader(a.viewHeader([]string{value}))
			assert.Contains(t, shown, `"[redacted]"`, doc)
			assert.Contains(t, shown, c.ClientID, "the client id is not a secret")
			assertNoSecret(t, shown)
		}
	}
}

func TestScrubReplacesEveryFormOfTheSecrets(t *testing.T) {
	a := testAnalysis(t)
	c, key := mockSecrets()
	for _, form := range []string{c.Key, hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)), base64.RawURLEncoding.EncodeToString(key),
		c.ClientSecret, c.PassKey} {
		assert.Equal(t, "x [redacted] y", a.w.scrub("x "+form+" y"))
	}
}

func TestBase64Fault(t *testing.T) {
	a := testAnalysis(t)
	tok, err := a.w.codec.Seal([]byte(`{"amount":"` + strings.Repeat("9", 80) + `"}`))
	require.NoError(t, err)
	raw, _ := base64.StdEncoding.DecodeString(tok)
	urlSafe := base64.RawURLEncoding.EncodeToString(append([]byte{0xfb, 0xff}, raw...))
	cases := map[string]struct{ token, fault string }{
		"standard":    {tok, ""},
		"URL-safe":    {urlSafe, "URL-safe character"},
		"no padding":  {strings.TrimRight(tok[:len(tok)-1], "="), "not a multiple of 4"},
		"line breaks": {tok[:64] + "\n" + tok[64:], "line feed in token"},
		"spaces":      {tok[:8] + " " + tok[8:], "whitespace in token at offset 8"},
	}
	for name, tc := range cases {
		got := base64Fault(a, tc.token, false)
		if tc.fault == "" {
			assert.Empty(t, got, name)
		} else {
			assert.Contains(t, got, tc.fault, name)
		}
	}
}

func TestLenientDecodeReadsWhatTheClientMeant(t *testing.T) {
	raw := []byte{0xfb, 0xff, 0x00, 0x10, 0x20}
	for _, text := range []string{base64.StdEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw), "+/8A\nECA="} {
		got, ok := lenientDecode(text)
		assert.True(t, ok, text)
		assert.Equal(t, raw, got, text)
	}
	_, ok := lenientDecode(`{"client_id":"x"}`)
	assert.False(t, ok)
}

func TestParseAnswer(t *testing.T) {
	cases := []struct{ line, problem string }{
		{`{"step":"s1","status":200,"body":{"a":1}}`, ""},
		{`{"step":"s1","error":"request failed"}`, ""},
		{`{"step":"s2","status":200,"body":{}}`, `answers step "s2" where "s1" was asked`},
		{`{"status":200,"body":{}}`, `"step" is missing or not a string`},
		{`{"step":"s1","status":"200","body":{}}`, `"status" is not an HTTP status number`},
		{`{"step":"s1","status":200}`, `"body" is missing`},
		{`{"step":"s1","status":200,"body":{},"error":"x"}`, `it holds both "status" and "error"`},
		{`{"step":"s1"}`, `it holds neither "status" nor "error"`},
		{`{"step":"s1","error":42}`, `"error" is not a string`},
		{`{"step":null,"status":200,"body":{}}`, `"step" is missing or not a string`},
		{`{"step":"s1","error":null}`, `"error" is not a string`},
	}
	for _, tc := range cases {
		a := parseAnswer(tc.line, "s1")
		assert.Equal(t, tc.problem, a.Problem, tc.line)
	}
	a := parseAnswer(`{"step":"s1","error":"HTTP 422 answer has no ResponseData"}`, "s1")
	assert.True(t, a.Errored)
	assert.Equal(t, "HTTP 422 answer has no ResponseData", a.Error)
}

func TestAnswerFault(t *testing.T) {
	body := json.RawMessage(`{"status":"FAILURE","statusCode":422}`)
	ok := &Answer{Status: 422, Body: body}
	assert.Empty(t, answerFault(ok, 422, body, false))
	assert.Contains(t, answerFault(&Answer{Status: 400, Body: body}, 422, body, false),
		"reported status 400, the mock answered 422")
	assert.Contains(t, answerFault(&Answer{Errored: true, Error: "no ResponseData"}, 422, body,
		false), "never decrypted")
	assert.Contains(t, answerFault(&Answer{Status: 200, Body: json.RawMessage(`{"a":"1"}`)}, 200,
		json.RawMessage(`{"a":"1","b":"2"}`), true), "not the opened ResponseData: $.b: member missing")
}

func TestTailKeepsTheLastWholeLines(t *testing.T) {
	tl := &tail{max: 32}
	tl.Write([]byte("first line that is long enough\nsecond\n"))
	tl.Write([]byte("third\n\n  \nfourth"))
	got := tl.lastLines(10, strings.ToUpper)
	assert.Equal(t, []string{"SECOND", "THIRD", "FOURTH"}, got,
		"the partial first line is dropped, blank lines skipped, scrub applied")
	assert.Equal(t, []string{"FOURTH"}, tl.lastLines(1, strings.ToUpper))
}

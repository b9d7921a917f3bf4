package mockgateway_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

// hostileTokens are tokens that fail to open with key, one per way a
// token can break; the map value is the envelope error kind the recorder
// must name.
func hostileTokens(t *testing.T, key []byte) map[string]struct{ token, kind string } {
	iv := bytes.Repeat([]byte{0x24}, aes.BlockSize)
	garbage := bytes.Repeat([]byte("garbage!"), 4)
	badPad := append(append([]byte{}, garbage[:16]...), bytes.Repeat([]byte{0x11}, 16)...)
	zeroPad := append(append([]byte{}, garbage[:16]...), make([]byte, 16)...)
	goodPadGarbage := append(append([]byte{}, garbage...), bytes.Repeat([]byte{16}, 16)...)
	wrongLength := base64.StdEncoding.EncodeToString(make([]byte, 40))
	garbageToken := cbcBlocks(t, key, iv, goodPadGarbage)
	urlSafe := strings.NewReplacer("+", "-", "/", "_").Replace(garbageToken) + "-_"
	unpadded := strings.TrimRight(base64.StdEncoding.EncodeToString(make([]byte, 47)), "=")
	trailingBits := base64.StdEncoding.EncodeToString(make([]byte, 32))[:42] + "B="
	otherKey := cbcSeal(t, bytes.Repeat([]byte{9}, 32), iv, []byte(`{"a":"b"}`))
	return map[string]struct{ token, kind string }{
		"bad padding":            {cbcBlocks(t, key, iv, badPad), "padding"},
		"zero padding byte":      {cbcBlocks(t, key, iv, zeroPad), "padding"},
		"good padding, garbage":  {garbageToken, "json"},
		"wrong length":           {wrongLength, "length"},
		"too short":              {base64.StdEncoding.EncodeToString(make([]byte, 16)), "length"},
		"bad base64":             {"!!!!" + wrongLength[4:], "base64"},
		"URL-safe alphabet":      {urlSafe, "base64"},
		"missing padding":        {unpadded, "base64"},
		"non-zero trailing bits": {trailingBits, "base64"},
		"another key's token":    {otherKey, ""},
		"data after padding":     {garbageToken + "AAAA", ""},
		// In a header the two characters \ and n; in the body a JSON escape
		// that puts a real line feed into the token.
		"line break": {wrongLength[:20] + `\n` + wrongLength[20:], "base64"},
	}
}

// Every way header_secrets fails to open gets the same bytes back: no
// padding oracle.
func TestHeaderDecodingFailuresLookAlike(t *testing.T) {
	f := newFixture(t)
	a := f.a
	body := bodyOf(cbcSeal(t, a.key, randomIV(t), []byte(echoPayload)))
	var first *reply
	for name, tok := range hostileTokens(t, a.key) {
		t.Run(name, func(t *testing.T) {
			got := f.do(f.raw("POST", "/api/echo", wire{a.cred.PassKey, tok.token}, body))
			expect(t, got, http.StatusUnauthorized, wantHeader)
			assertSameAnswer(t, first, got)
			first = &got
			ex := f.last()
			assert.Equal(t, mockgateway.CheckHeaderSecrets, ex.Failed)
			if tok.kind != "" {
				assert.Equal(t, tok.kind, ex.Checks[2].Reason)
			}
		})
	}
}

// Every way RequestData fails to open gets the same bytes back.
func TestRequestDataDecodingFailuresLookAlike(t *testing.T) {
	f := newFixture(t)
	a := f.a
	tokens := hostileTokens(t, a.key)
	tokens["opens to text"] = struct{ token, kind string }{
		cbcSeal(t, a.key, randomIV(t), []byte("not json at all")), "json"}
	tokens["opens to truncated JSON"] = struct{ token, kind string }{
		cbcSeal(t, a.key, randomIV(t), []byte(`{"amount":`)), "json"}
	var first *reply
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			req := f.raw("POST", "/api/echo",
				wire{a.cred.PassKey, f.sealedHeader(a, f.epoch())}, bodyOf(tok.token))
			got := f.do(req)
			expect(t, got, http.StatusBadRequest, wantRequestData)
			assertSameAnswer(t, first, got)
			first = &got
			ex := f.last()
			assert.Equal(t, mockgateway.CheckRequestData, ex.Failed)
			if tok.kind != "" {
				assert.Equal(t, tok.kind, ex.Checks[8].Reason)
			}
		})
	}
}

// assertSameAnswer compares two failure answers byte for byte, headers
// but the date included.
func assertSameAnswer(t *testing.T, first *reply, got reply) {
	t.Helper()
	if first == nil {
		return
	}
	assert.Equal(t, first.status, got.status)
	assert.Equal(t, first.body, got.body)
	h1, h2 := first.header.Clone(), got.header.Clone()
	h1.Del("Date")
	h2.Del("Date")
	assert.Equal(t, h1, h2)
}

// A hand-built GCM token opened by the gateway, and a tampered one
// refused with the one text.
func TestGCMScheme(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.Scheme = envelope.GCM })
	a := f.a
	got := f.do(f.good())
	require.Equal(t, http.StatusOK, got.status, string(got.body))
	pt := gcmOpen(t, a.key, got.body)
	assert.JSONEq(t, echoPayload, string(pt))
	assert.Len(t, f.last().ResponseIV, 12)

	secrets := f.good().Header[envelope.HeaderSecretsName][0]
	raw, err := base64.StdEncoding.DecodeString(secrets)
	require.NoError(t, err)
	raw[len(raw)-1] ^= 1
	tampered := base64.StdEncoding.EncodeToString(raw)
	req := f.raw("POST", "/api/echo", wire{passKey: a.cred.PassKey, secrets: tampered}, "{}")
	expect(t, f.do(req), http.StatusUnauthorized, wantHeader)
	assert.Equal(t, "tag", f.last().Checks[2].Reason)
}

// gcmOpen opens a sealed GCM answer with the standard library.
func gcmOpen(t *testing.T, key, body []byte) []byte {
	t.Helper()
	tok := strings.TrimSuffix(strings.TrimPrefix(string(body), `{"ResponseData":"`), `"}`)
	raw, err := base64.StdEncoding.DecodeString(tok)
	require.NoError(t, err)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	aead, err := cipher.NewGCM(block)
	require.NoError(t, err)
	pt, err := aead.Open(nil, raw[:12], raw[12:], nil)
	require.NoError(t, err)
	return pt
}

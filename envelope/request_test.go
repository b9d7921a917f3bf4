package envelope_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

var bothSchemes = []envelope.Scheme{envelope.CBC, envelope.GCM}

// testCred is a client whose secret and pass key are easy to search for in
// any printed or error text.
var testCred = envelope.Credentials{
	PassKey:      "PK7QXWZ3EXAMPLEPASSKEYBASE32AAAAAAAAAAAAAAAAAAAAAAAA",
	ClientID:     "GW-CLIENT-0001",
	ClientSecret: "s3cret-Never-Printed-9",
}

// tokenShape is a standard padded base64 token and nothing else.
var tokenShape = regexp.MustCompile(`^[A-Za-z0-9+/]+={0,2}$`)

func TestSealRequestAtWithFixedIVs(t *testing.T) {
	key := bytes.Repeat([]byte{0x21}, 32)
	payload := []byte(`{"payout":{"amount":"125.50","currency":"INR"}}`)
	for _, scheme := range bothSchemes {
		t.Run(string(scheme), func(t *testing.T) {
			n := scheme.IVSize()
			hdrIV, bodyIV := bytes.Repeat([]byte{0xa1}, n), bytes.Repeat([]byte{0xb2}, n)
			src := bytes.NewReader(append(bytes.Clone(hdrIV), bodyIV...))
			c := newCodec(t, scheme, key, envelope.WithIVSource(src))

			var r envelope.Request
			require.NoError(t, c.SealRequestAt(&r, testCred, 1727954878, payload))
			assert.Zero(t, src.Len(), "both IVs read from the source")

			hdr := string(r.HeaderSecrets)
			require.Regexp(t, tokenShape, hdr)
			assert.Equal(t, hdrIV, rawToken(t, r.HeaderSecrets)[:n], "header IV is read first")
			assert.Equal(t, `{"client_id":"GW-CLIENT-0001","client_secret":"s3cret-Never-Printed-9",`+
				`"epoch":"1727954878"}`, string(openStd(t, scheme, key, hdr)))

			tok := requestDataOf(t, r.Body)
			assert.Equal(t, bodyIV, rawToken(t, []byte(tok))[:n], "body IV is read second")
			assert.Equal(t, payload, openStd(t, scheme, key, tok))

			// The standard library, given the same IVs, produces the same tokens.
			assert.Equal(t, sealStd(t, scheme, key, bodyIV, payload), tok)
		})
	}
}

// requestDataOf checks that body is exactly {"RequestData":"<token>"} and
// returns the token.
func requestDataOf(t *testing.T, body []byte) string {
	t.Helper()
	s := string(body)
	require.True(t, strings.HasPrefix(s, `{"RequestData":"`), "body %q", s)
	require.True(t, strings.HasSuffix(s, `"}`), "body %q", s)
	tok := s[len(`{"RequestData":"`) : len(s)-2]
	require.Regexp(t, tokenShape, tok)

	var doc map[string]string
	require.NoError(t, json.Unmarshal(body, &doc))
	require.Equal(t, map[string]string{"RequestData": tok}, doc)
	return tok
}

func TestSealRequestReusesTheRequest(t *testing.T) {
	c := newCodec(t, envelope.CBC, bytes.Repeat([]byte{0x22}, 32))
	var r envelope.Request
	long := []byte(`{"long":"` + strings.Repeat("x", 200) + `"}`)
	require.NoError(t, c.SealRequestAt(&r, testCred, 1, long))
	require.NoError(t, c.SealRequestAt(&r, testCred, 2, []byte(`{}`)))

	h, err := c.OpenHeaderSecrets(r.HeaderSecrets)
	require.NoError(t, err)
	assert.Equal(t, "2", h.Epoch)
	got, err := c.Open(requestDataOf(t, r.Body))
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(got), "nothing of the longer first body remains")
}

// Sealing for several clients in turn on one codec gives each its own
// header: nothing of one client's header carries over to the next.
func TestSealRequestAlternatingClients(t *testing.T) {
	c := newCodec(t, envelope.GCM, bytes.Repeat([]byte{0x2c}, 32))
	creds := []envelope.Credentials{
		testCred,
		{ClientID: "ab", ClientSecret: "c"},
		{ClientID: "a", ClientSecret: "bc"},
		{ClientID: `quote " and \ slash`, ClientSecret: "line\nfeed \u00e9 é"},
		{ClientID: "", ClientSecret: ""},
	}
	var r envelope.Request
	for i := 0; i < 3*len(creds); i++ {
		cred := creds[i%len(creds)]
		epoch := int64(1727954878 + i)
		require.NoError(t, c.SealRequestAt(&r, cred, epoch, []byte(`{}`)))
		h, err := c.OpenHeaderSecrets(r.HeaderSecrets)
		require.NoError(t, err)
		assert.Equal(t, envelope.HeaderSecrets{ClientID: cred.ClientID, ClientSecret: cred.ClientSecret,
			Epoch: fmt.Sprint(epoch)}, h, "round %d", i)
	}
}

func TestSealRequestIVSourceExhausted(t *testing.T) {
	for _, scheme := range bothSchemes {
		// One IV's worth of bytes: the header and body IVs cannot both be read.
		src := bytes.NewReader(make([]byte, scheme.IVSize()))
		c := newCodec(t, scheme, bytes.Repeat([]byte{0x23}, 32), envelope.WithIVSource(src))
		var r envelope.Request
		err := c.SealRequestAt(&r, testCred, 1, []byte(`{}`))
		require.Error(t, err, scheme)
		assert.Contains(t, err.Error(), "reading IV")
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	}
}

func TestSealRequestUsesTheClock(t *testing.T) {
	clock := func() time.Time { return time.Unix(1700000000, 999_999_999) }
	for _, scheme := range bothSchemes {
		c := newCodec(t, scheme, bytes.Repeat([]byte{0x24}, 32), envelope.WithClock(clock))
		var r envelope.Request
		require.NoError(t, c.SealRequest(&r, testCred, []byte(`{}`)))
		h, err := c.OpenHeaderSecrets(r.HeaderSecrets)
		require.NoError(t, err)
		assert.Equal(t, "1700000000", h.Epoch, "whole seconds, not rounded up")
	}
}

func TestSealRequestDefaultClockIsNow(t *testing.T) {
	c := newCodec(t, envelope.CBC, bytes.Repeat([]byte{0x25}, 32))
	before := time.Now().Unix()
	var r envelope.Request
	require.NoError(t, c.SealRequest(&r, testCred, []byte(`{}`)))
	after := time.Now().Unix()
	h, err := c.OpenHeaderSecrets(r.HeaderSecrets)
	require.NoError(t, err)
	epoch, err := h.Unix()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, epoch, before)
	assert.LessOrEqual(t, epoch, after)
}

// Allocation counts are deterministic, unlike timings: a reused Request
// must cost nothing, a fresh one only its two buffers.
func TestSealRequestReusedAllocatesNothing(t *testing.T) {
	skipUnderRace(t)
	for _, scheme := range bothSchemes {
		c := newCodec(t, scheme, bytes.Repeat([]byte{0x26}, 32))
		var r envelope.Request
		n := testing.AllocsPerRun(200, func() {
			_ = c.SealRequestAt(&r, testCred, 1727954878, allocPayload)
		})
		assert.Zero(t, n, "%s: allocations when the Request is reused", scheme)
	}
}

func TestSealRequestFreshAllocatesTwo(t *testing.T) {
	skipUnderRace(t)
	for _, scheme := range bothSchemes {
		c := newCodec(t, scheme, bytes.Repeat([]byte{0x26}, 32))
		n := testing.AllocsPerRun(200, func() {
			var r envelope.Request
			_ = c.SealRequestAt(&r, testCred, 1727954878, allocPayload)
		})
		assert.LessOrEqual(t, n, 2.0, "%s: allocations for a fresh Request", scheme)
	}
}

var allocPayload = []byte(`{"payout":{"amount":"125.50","currency":"INR"}}`)

func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled() {
		t.Skip("the race detector changes allocation counts")
	}
}

func TestNewHTTPRequest(t *testing.T) {
	key := bytes.Repeat([]byte{0x27}, 32)
	clock := func() time.Time { return time.Unix(1727954878, 0) }
	c := newCodec(t, envelope.CBC, key, envelope.WithClock(clock))
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "marker")
	payload := []byte(`{"status":"check"}`)

	url := "http://127.0.0.1:9/api/v1/payout"
	req, err := c.NewHTTPRequest(ctx, http.MethodPost, url, testCred, payload)
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "/api/v1/payout", req.URL.Path)
	assert.Equal(t, "marker", req.Context().Value(ctxKey{}))

	assert.Equal(t, []string{testCred.PassKey}, req.Header["pass_key"], "lower-case key in the map")
	require.Len(t, req.Header["header_secrets"], 1)
	assert.Equal(t, []string{"application/json"}, req.Header["Content-Type"])
	assert.Empty(t, req.Header["Pass_key"], "not canonicalised")

	h, err := c.OpenHeaderSecrets([]byte(req.Header["header_secrets"][0]))
	require.NoError(t, err)
	assert.Equal(t, envelope.HeaderSecrets{ClientID: testCred.ClientID,
		ClientSecret: testCred.ClientSecret, Epoch: "1727954878"}, h)

	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, int64(len(body)), req.ContentLength)
	assert.Equal(t, payload, openStd(t, envelope.CBC, key, requestDataOf(t, body)))
}

// On the wire the header names keep their lower case.
func TestNewHTTPRequestWireForm(t *testing.T) {
	c := newCodec(t, envelope.GCM, bytes.Repeat([]byte{0x28}, 32))
	ctx := context.Background()
	req, err := c.NewHTTPRequest(ctx, http.MethodPost, "http://127.0.0.1:9/x", testCred, []byte(`{}`))
	require.NoError(t, err)
	var wire bytes.Buffer
	require.NoError(t, req.Write(&wire))

	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(wire.Bytes()))
	for sc.Scan() && sc.Text() != "" {
		if name, _, ok := strings.Cut(sc.Text(), ":"); ok {
			names[name] = true
		}
	}
	assert.True(t, names["pass_key"], "wire: %q", wire.String())
	assert.True(t, names["header_secrets"], "wire: %q", wire.String())
	assert.True(t, names["Content-Type"], "wire: %q", wire.String())
}

func TestNewHTTPRequestBadURL(t *testing.T) {
	c := newCodec(t, envelope.CBC, bytes.Repeat([]byte{0x29}, 32))
	_, err := c.NewHTTPRequest(context.Background(), http.MethodPost, "http://[::1:bad", testCred, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testCred.ClientSecret)
	_, err = c.NewHTTPRequest(context.Background(), "BAD METHOD", "http://127.0.0.1/", testCred, nil)
	require.Error(t, err)
}

func TestSetHeaders(t *testing.T) {
	h := http.Header{}
	envelope.SetHeaders(h, "pk", "tok")
	assert.Equal(t, http.Header{
		"pass_key":       {"pk"},
		"header_secrets": {"tok"},
		"Content-Type":   {"application/json"},
	}, h)
}

func TestOpenHeaderSecrets(t *testing.T) {
	key := bytes.Repeat([]byte{0x2a}, 32)
	iv := bytes.Repeat([]byte{0x3c}, 16)
	good := `{"client_id":"GW-CLIENT-0001","client_secret":"s3cret-Never-Printed-9",` +
		`"epoch":"1727954878"}`
	seal := func(pt string) string { return sealStd(t, envelope.CBC, key, iv, []byte(pt)) }
	c := newCodec(t, envelope.CBC, key)

	h, err := c.OpenHeaderSecrets([]byte(sealStd(t, envelope.CBC, key, iv, []byte(good))))
	require.NoError(t, err)
	assert.Equal(t, envelope.HeaderSecrets{ClientID: testCred.ClientID,
		ClientSecret: testCred.ClientSecret, Epoch: "1727954878"}, h)

	// 41 bytes of JSON: its base64 is not a whole number of CBC blocks.
	short := `{"client_id":"a","client_secret":"b","epoch":"1"}`[:41]
	cases := []struct {
		name  string
		token string
		kind  envelope.Kind
		field string
	}{
		{"wrong key", sealStd(t, envelope.CBC, bytes.Repeat([]byte{0x2b}, 32), iv, []byte(good)),
			envelope.KindPadding, "header_secrets"},
		{"plaintext JSON", good, envelope.KindBase64, "header_secrets"},
		{"base64 of plaintext", base64.StdEncoding.EncodeToString([]byte(short)),
			envelope.KindLength, "header_secrets"},
		{"empty", "", envelope.KindLength, "header_secrets"},
		{"Client_id", seal(strings.Replace(good, "client_id", "Client_id", 1)),
			envelope.KindMember, `"Client_id"`},
		{"millisecond epoch as number", sealStd(t, envelope.CBC, key, iv,
			[]byte(`{"client_id":"a","client_secret":"s3cret-Never-Printed-9","epoch":1727954878123}`)),
			envelope.KindMember, "epoch"},
		{"not JSON", seal("client_id=a&client_secret=s3cret-Never-Printed-9"),
			envelope.KindJSON, "header_secrets"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.OpenHeaderSecrets([]byte(tc.token))
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.kind, e.Kind, "%v", err)
			assert.Equal(t, tc.field, e.Field, "%v", err)
			assert.NotContains(t, err.Error(), testCred.ClientSecret)
		})
	}
}

func TestOpenHeaderSecretsGCMWrongKey(t *testing.T) {
	tok := sealStd(t, envelope.GCM, bytes.Repeat([]byte{1}, 32), make([]byte, 12), []byte(`{}`))
	_, err := newCodec(t, envelope.GCM, bytes.Repeat([]byte{2}, 32)).OpenHeaderSecrets([]byte(tok))
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, envelope.KindTag, e.Kind)
	assert.Equal(t, "header_secrets", e.Field)
}

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	type wrapper struct{ C envelope.Credentials }
	outputs := []string{
		testCred.String(), testCred.GoString(),
		fmt.Sprint(testCred), fmt.Sprintf("%v", testCred), fmt.Sprintf("%+v", testCred),
		//lint:ignore S1025 every formatting verb is under test
		fmt.Sprintf("%#v", testCred), fmt.Sprintf("%s", testCred), fmt.Sprintf("%q", testCred),
		fmt.Sprintf("%v", &testCred), fmt.Sprintf("%+v", wrapper{testCred}),
		fmt.Sprintf("%#v", wrapper{testCred}),
	}
	for _, out := range outputs {
		assert.NotContains(t, out, testCred.ClientSecret)
		assert.NotContains(t, out, testCred.PassKey[4:12], "pass key beyond its first four characters")
		assert.Contains(t, out, testCred.ClientID)
		assert.Contains(t, out, "PK7Q", "the pass key's first four characters tell clients apart")
	}
}

func TestMaskPassKey(t *testing.T) {
	assert.Equal(t, "[redacted]", envelope.MaskPassKey(""))
	assert.Equal(t, "[redacted]", envelope.MaskPassKey("abcd"), "four or fewer: hidden whole")
	assert.Equal(t, "abcd…", envelope.MaskPassKey("abcde"))
	assert.Equal(t, "PK7Q…", envelope.MaskPassKey(testCred.PassKey))
}

// sealStd seals pt with the standard library alone, as a peer would, and
// returns the token. It is the independent reference for the codec.
func sealStd(t testing.TB, scheme envelope.Scheme, key, iv, pt []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	out := bytes.Clone(iv)
	if scheme == envelope.GCM {
		aead, err := cipher.NewGCM(block)
		require.NoError(t, err)
		return base64.StdEncoding.EncodeToString(aead.Seal(out, iv, pt, nil))
	}
	pad := 16 - len(pt)%16
	padded := append(bytes.Clone(pt), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(padded, padded)
	return base64.StdEncoding.EncodeToString(append(out, padded...))
}

// openStd opens a token with the standard library alone and fails the
// test if it does not open.
func openStd(t testing.TB, scheme envelope.Scheme, key []byte, token string) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.Strict().DecodeString(token)
	require.NoError(t, err)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	if scheme == envelope.GCM {
		aead, err := cipher.NewGCM(block)
		require.NoError(t, err)
		pt, err := aead.Open(nil, raw[:12], raw[12:], nil)
		require.NoError(t, err)
		return pt
	}
	require.True(t, len(raw) >= 32 && len(raw)%16 == 0, "CBC token of %d bytes", len(raw))
	body := bytes.Clone(raw[16:])
	cipher.NewCBCDecrypter(block, raw[:16]).CryptBlocks(body, body)
	pad := int(body[len(body)-1])
	require.True(t, pad >= 1 && pad <= 16, "pad byte %d", pad)
	require.Equal(t, bytes.Repeat([]byte{byte(pad)}, pad), body[len(body)-pad:])
	return body[:len(body)-pad]
}

// raceEnabled reports whether the test binary was built with -race, read
// from the build settings Go records in every binary.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

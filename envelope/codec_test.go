package envelope_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	require.NoError(t, err)
	return b
}

func newCodec(t testing.TB, scheme envelope.Scheme, key []byte, opts ...envelope.Option) *envelope.Codec {
	t.Helper()
	c, err := envelope.New(scheme, key, opts...)
	require.NoError(t, err)
	return c
}

func rawToken(t testing.TB, tok []byte) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(string(tok))
	require.NoError(t, err)
	return raw
}

// NIST SP 800-38A, appendix F.2.5, CBC-AES256.Encrypt. The published
// vector has no padding; the codec adds one PKCS#7 block, so the first
// four ciphertext blocks must match the publication.
func TestCBCMatchesNISTSP80038AF25(t *testing.T) {
	key := unhex(t, "603deb1015ca71be2b73aef0857d7781 1f352c073b6108d72d9810a30914dff4")
	iv := unhex(t, "000102030405060708090a0b0c0d0e0f")
	pt := unhex(t, "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"+
		"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710")
	ct := unhex(t, "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d"+
		"39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b")

	c := newCodec(t, envelope.CBC, key)
	tok, err := c.AppendSealIV(nil, iv, pt)
	require.NoError(t, err)
	raw := rawToken(t, tok)
	require.Len(t, raw, 16+64+16)
	assert.Equal(t, iv, raw[:16])
	assert.Equal(t, ct, raw[16:80])

	got, err := c.AppendOpen(nil, tok)
	require.NoError(t, err)
	assert.Equal(t, pt, got)
}

// The GCM specification (McGrew and Viega), test case 14: 256-bit zero
// key, zero nonce, one zero block.
func TestGCMMatchesSpecTestCase14(t *testing.T) {
	c := newCodec(t, envelope.GCM, make([]byte, 32))
	tok, err := c.AppendSealIV(nil, make([]byte, 12), make([]byte, 16))
	require.NoError(t, err)
	raw := rawToken(t, tok)
	assert.Equal(t, unhex(t, "cea7403d4d606b6e074ec5d3baf39d18"), raw[12:28], "ciphertext")
	assert.Equal(t, unhex(t, "d0d1c8a799996bf0265b98b5d48ab919"), raw[28:], "tag")
}

func TestSealUsesFreshIVs(t *testing.T) {
	for _, scheme := range []envelope.Scheme{envelope.CBC, envelope.GCM} {
		c := newCodec(t, scheme, bytes.Repeat([]byte{7}, 32))
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			tok, err := c.Seal([]byte(`{"n":1}`))
			require.NoError(t, err)
			iv := string(rawToken(t, []byte(tok))[:scheme.IVSize()])
			require.False(t, seen[iv], "%s: IV repeated after %d seals", scheme, i)
			seen[iv] = true
		}
	}
}

func TestRoundTripAllLengths(t *testing.T) {
	for _, scheme := range []envelope.Scheme{envelope.CBC, envelope.GCM} {
		c := newCodec(t, scheme, bytes.Repeat([]byte{1}, 32))
		for n := 0; n <= 70; n++ {
			pt := bytes.Repeat([]byte{byte(n)}, n)
			tok, err := c.AppendSeal(nil, pt)
			require.NoError(t, err)
			require.Len(t, tok, c.TokenLen(n))
			got, err := c.AppendOpen([]byte("prefix"), tok)
			require.NoError(t, err, "%s n=%d", scheme, n)
			assert.Equal(t, append([]byte("prefix"), pt...), got)
		}
	}
}

func TestStrictTokenDecoding(t *testing.T) {
	c := newCodec(t, envelope.CBC, bytes.Repeat([]byte{2}, 32))
	// A 33-byte plaintext gives 64 raw bytes, so the token ends in "==".
	// Seal until the token also holds '+' or '/', so that the URL-safe
	// variant differs from it.
	var tok string
	for i := 0; i < 1000 && !strings.ContainsAny(tok, "+/"); i++ {
		var err error
		tok, err = c.Seal([]byte(`{"amount":"10.00","currency":"IN"}`))
		require.NoError(t, err)
	}
	require.True(t, strings.HasSuffix(tok, "=="), "premise: padded token")
	require.True(t, strings.ContainsAny(tok, "+/"), "premise: token with + or /")
	_, err := c.Open(tok)
	require.NoError(t, err, "the canonical token must open")

	wrapped := tok[:20] + "\n" + tok[20:]
	cases := map[string]string{
		"url-safe":       strings.NewReplacer("+", "-", "/", "_").Replace(tok),
		"unpadded":       strings.TrimRight(tok, "="),
		"line feed":      wrapped,
		"crlf":           tok[:20] + "\r\n" + tok[20:],
		"trailing lf":    tok + "\n",
		"embedded space": tok[:8] + " " + tok[8:],
		"tab":            tok[:8] + "\t" + tok[8:],
		"padding inside": tok[:4] + "====" + tok[8:],
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Open(bad)
			require.Error(t, err)
			assert.Equal(t, envelope.KindBase64, envelope.KindOf(err), "%v", err)
			assert.True(t, errors.Is(err, envelope.ErrBase64))
		})
	}
	// The standard library alone would accept the line-wrapped form: the
	// explicit check is what refuses it.
	_, stdErr := base64.StdEncoding.Strict().DecodeString(wrapped)
	assert.NoError(t, stdErr, "premise: Go's strict decoder skips line feeds")
}

func TestOpenLengthErrors(t *testing.T) {
	cbc := newCodec(t, envelope.CBC, bytes.Repeat([]byte{3}, 32))
	gcm := newCodec(t, envelope.GCM, bytes.Repeat([]byte{3}, 32))
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	cases := []struct {
		name  string
		codec *envelope.Codec
		token string
	}{
		{"empty", cbc, ""},
		{"iv only", cbc, b64(16)},
		{"not block multiple", cbc, b64(16 + 21)},
		{"one block short", cbc, b64(31)},
		{"gcm nonce only", gcm, b64(12)},
		{"gcm below nonce and tag", gcm, b64(27)},
	}
	for _, tc := range cases {
		_, err := tc.codec.Open(tc.token)
		assert.Equal(t, envelope.KindLength, envelope.KindOf(err), "%s: %v", tc.name, err)
	}
}

// Every PKCS#7 defect class must be refused; a valid pad of each length
// must open.
func TestCBCPaddingRules(t *testing.T) {
	key := bytes.Repeat([]byte{4}, 32)
	iv := bytes.Repeat([]byte{5}, 16)
	c := newCodec(t, envelope.CBC, key)
	msg := []byte("0123456789")
	cases := map[string][]byte{
		"zero padding":       append(msg, 0, 0, 0, 0, 0, 0),
		"0xff padding":       append(msg, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
		"iso 7816-4":         append(msg, 0x80, 0, 0, 0, 0, 0),
		"ansi x.923":         append(msg, 0, 0, 0, 0, 0, 6),
		"iso 10126":          append(msg, 0x11, 0x22, 0x33, 0x44, 0x55, 6),
		"pad byte zero":      append(msg, 1, 2, 3, 4, 5, 0),
		"longer than block":  append(msg, 17, 17, 17, 17, 17, 17),
		"no padding, ends 7": append(bytes.Repeat([]byte{'a'}, 15), 7),
	}
	for name, block := range cases {
		tok := rawCBCToken(t, key, iv, block)
		_, err := c.Open(tok)
		assert.Equal(t, envelope.KindPadding, envelope.KindOf(err), "%s: %v", name, err)
	}
	for pad := 1; pad <= 16; pad++ {
		block := append(bytes.Repeat([]byte{'x'}, 16-pad), bytes.Repeat([]byte{byte(pad)}, pad)...)
		got, err := c.Open(rawCBCToken(t, key, iv, block))
		require.NoError(t, err, "pad %d", pad)
		assert.Len(t, got, 16-pad)
	}
}

func TestTamperedGCMTokensFail(t *testing.T) {
	c := newCodec(t, envelope.GCM, bytes.Repeat([]byte{6}, 32))
	tok, err := c.AppendSeal(nil, []byte(`{"status":"ok","amount":"1"}`))
	require.NoError(t, err)
	raw := rawToken(t, tok)
	for i := range raw { // nonce, ciphertext and tag alike
		bad := bytes.Clone(raw)
		bad[i] ^= 0x40
		_, err := c.Open(base64.StdEncoding.EncodeToString(bad))
		require.Equal(t, envelope.KindTag, envelope.KindOf(err), "byte %d", i)
	}
	_, err = c.Open(base64.StdEncoding.EncodeToString(raw[:len(raw)-4]))
	assert.Equal(t, envelope.KindTag, envelope.KindOf(err), "truncated tag")
}

func TestWrongKeyNeverOpensToThePlaintext(t *testing.T) {
	a := newCodec(t, envelope.CBC, bytes.Repeat([]byte{8}, 32))
	b := newCodec(t, envelope.CBC, bytes.Repeat([]byte{9}, 32))
	for i := 0; i < 50; i++ {
		tok, err := a.Seal([]byte(`{"client_id":"a"}`))
		require.NoError(t, err)
		got, err := b.Open(tok)
		if err == nil {
			assert.NotEqual(t, `{"client_id":"a"}`, string(got))
		} else {
			assert.Equal(t, envelope.KindPadding, envelope.KindOf(err))
		}
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	_, err := envelope.New(envelope.CBC, make([]byte, 16))
	assert.ErrorIs(t, err, envelope.ErrKey)
	assert.Contains(t, err.Error(), "16 bytes, want 32")
	_, err = envelope.New("aes-128-ecb", make([]byte, 32))
	assert.Contains(t, err.Error(), `unknown scheme "aes-128-ecb"`)

	c := newCodec(t, envelope.GCM, make([]byte, 32))
	_, err = c.AppendSealIV(nil, make([]byte, 16), nil)
	assert.ErrorIs(t, err, envelope.ErrIV)
}

func TestConcurrentUse(t *testing.T) {
	for _, scheme := range []envelope.Scheme{envelope.CBC, envelope.GCM} {
		c := newCodec(t, scheme, bytes.Repeat([]byte{10}, 32))
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				pt := bytes.Repeat([]byte{byte(g)}, 40+g)
				for i := 0; i < 200; i++ {
					tok, err := c.AppendSeal(nil, pt)
					if err != nil {
						t.Error(err)
						return
					}
					got, err := c.AppendOpen(nil, tok)
					if err != nil || !bytes.Equal(got, pt) {
						t.Errorf("goroutine %d: round trip failed: %v", g, err)
						return
					}
				}
			}(g)
		}
		wg.Wait()
	}
}

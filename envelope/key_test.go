package envelope_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

// Base64 texts below were written with Python's base64 module, not with
// the package under test.
const (
	// b64Counting is the standard base64 of the bytes 0x00..0x1f.
	b64Counting = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	// recognisableKey is a raw 32-byte key; its base64 form follows. Error
	// texts are searched for both, so a leak cannot go unnoticed.
	recognisableKey    = "gwcert-recognisable-test-key-32b"
	recognisableKeyB64 = "Z3djZXJ0LXJlY29nbmlzYWJsZS10ZXN0LWtleS0zMmI="
	// plusSlashKeyB64 encodes fb ef be (x5), ff (x15), 01 02: a key whose
	// text holds both '+' and '/'.
	plusSlashKeyB64 = "++++++++++++++++++++////////////////////AQI="
)

func TestParseKeyBase64Accepts(t *testing.T) {
	counting := make([]byte, 32)
	for i := range counting {
		counting[i] = byte(i)
	}
	cases := map[string][]byte{
		b64Counting:        counting,
		recognisableKeyB64: []byte(recognisableKey),
		plusSlashKeyB64: append(append(bytes.Repeat([]byte{0xfb, 0xef, 0xbe}, 5),
			bytes.Repeat([]byte{0xff}, 15)...), 1, 2),
	}
	for text, want := range cases {
		require.Len(t, text, 44, "premise: a base64 key is 44 characters")
		for _, enc := range []envelope.KeyEncoding{envelope.KeyBase64, ""} {
			got, err := envelope.ParseKey(text, enc)
			require.NoError(t, err, "%q with encoding %q", text, enc)
			assert.Equal(t, want, got)
		}
	}
}

func TestParseKeyBase64Rejects(t *testing.T) {
	urlSafe := strings.NewReplacer("+", "-", "/", "_").Replace(plusSlashKeyB64)
	cases := []struct {
		name, text, reason string
	}{
		{"43 chars, padding dropped", recognisableKeyB64[:43], "not standard base64"},
		{"45 chars", recognisableKeyB64 + "A", "not standard base64"},
		{"48 chars, one block more", recognisableKeyB64 + "AAAA", "not standard base64"},
		{"url-safe alphabet", urlSafe, "not standard base64"},
		{"leading space", " " + recognisableKeyB64, "not standard base64"},
		{"trailing line feed", recognisableKeyB64 + "\n", "not standard base64"},
		{"line feed inside", recognisableKeyB64[:20] + "\n" + recognisableKeyB64[20:],
			"not standard base64"},
		{"tab inside", recognisableKeyB64[:20] + "\t" + recognisableKeyB64[21:],
			"not standard base64"},
		{"non-zero trailing bits", b64Counting[:42] + "9=", "not standard base64"},
		{"padding inside", "====" + recognisableKeyB64[4:], "not standard base64"},
		{"empty", "", "decodes to 0 bytes, want 32"},
		{"16-byte key", "AAECAwQFBgcICQoLDA0ODw==", "decodes to 16 bytes, want 32"},
		{"48-byte key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v",
			"decodes to 48 bytes, want 32"},
		{"raw key given as base64", recognisableKey, "not standard base64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key, err := envelope.ParseKey(tc.text, envelope.KeyBase64)
			require.Error(t, err)
			assert.Nil(t, key)
			assert.Contains(t, err.Error(), tc.reason)
			assertKeyError(t, err)
			assertNoKeyText(t, err, tc.text)
		})
	}
}

// The offset of a byte outside the alphabet points at that byte.
func TestParseKeyReportsOffsetOfForeignByte(t *testing.T) {
	text := strings.NewReplacer("+", "-", "/", "_").Replace(plusSlashKeyB64)
	_, err := envelope.ParseKey(text, envelope.KeyBase64)
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 0, e.Offset, "the first '-' is at offset 0")

	_, err = envelope.ParseKey(recognisableKeyB64[:10]+" "+recognisableKeyB64[11:], "")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 10, e.Offset)
}

func TestParseKeyRaw(t *testing.T) {
	got, err := envelope.ParseKey(recognisableKey, envelope.KeyRaw)
	require.NoError(t, err)
	assert.Equal(t, []byte(recognisableKey), got)

	wrong := []string{recognisableKey[:31], recognisableKey + "x", "", recognisableKeyB64}
	for _, text := range wrong {
		_, err := envelope.ParseKey(text, envelope.KeyRaw)
		require.Error(t, err, "%d bytes", len(text))
		assert.Contains(t, err.Error(), "want 32")
		assertKeyError(t, err)
		assertNoKeyText(t, err, text)
	}
	_, err = envelope.ParseKey(recognisableKey[:31], envelope.KeyRaw)
	assert.Contains(t, err.Error(), "31 bytes, want 32")
}

func TestParseKeyUnknownEncoding(t *testing.T) {
	_, err := envelope.ParseKey(recognisableKeyB64, "hex")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown key encoding "hex"`)
	assert.Equal(t, envelope.KindKey, envelope.KindOf(err))
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "key_encoding", e.Field)
	assertNoKeyText(t, err, recognisableKeyB64)
}

func TestParseKeyEncoding(t *testing.T) {
	for text, want := range map[string]envelope.KeyEncoding{
		"": envelope.KeyBase64, "base64": envelope.KeyBase64, "raw": envelope.KeyRaw,
	} {
		got, err := envelope.ParseKeyEncoding(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got)
	}
	for _, text := range []string{"Base64", "RAW", "hex", "base64url", " raw"} {
		_, err := envelope.ParseKeyEncoding(text)
		assert.ErrorIs(t, err, envelope.ErrKey, text)
	}
}

// A parsed key works with New: the two steps a profile loader chains.
func TestParsedKeyOpensWhatStdlibSealed(t *testing.T) {
	key, err := envelope.ParseKey(recognisableKeyB64, envelope.KeyBase64)
	require.NoError(t, err)
	iv := bytes.Repeat([]byte{0x11}, 16)
	tok := sealStd(t, envelope.CBC, []byte(recognisableKey), iv, []byte(`{"ok":true}`))
	got, err := newCodec(t, envelope.CBC, key).Open(tok)
	require.NoError(t, err)
	assert.Equal(t, `{"ok":true}`, string(got))
}

func assertKeyError(t *testing.T, err error) {
	t.Helper()
	assert.True(t, errors.Is(err, envelope.ErrKey), "%v", err)
	var e *envelope.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "key", e.Field)
}

// assertNoKeyText fails if the error text repeats the key as given or the
// recognisable key in either of its forms.
func assertNoKeyText(t *testing.T, err error, given string) {
	t.Helper()
	msg := err.Error()
	secrets := []string{given, recognisableKey, recognisableKeyB64, recognisableKeyB64[:16]}
	for _, secret := range secrets {
		if len(secret) >= 8 {
			assert.NotContains(t, msg, secret, "error text repeats key material")
		}
	}
}

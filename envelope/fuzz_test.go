package envelope_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

// fuzzKey is the key of every fuzz target: the bytes 0x00..0x1f, so
// seed corpora can be written with any tool.
var fuzzKey = func() []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(i)
	}
	return k
}()

// fuzzCodecs returns a CBC and a GCM codec under fuzzKey.
func fuzzCodecs(f *testing.F) (cbc, gcm *envelope.Codec) {
	return newCodec(f, envelope.CBC, fuzzKey), newCodec(f, envelope.GCM, fuzzKey)
}

func pick(gcm bool, cbcCodec, gcmCodec *envelope.Codec) *envelope.Codec {
	if gcm {
		return gcmCodec
	}
	return cbcCodec
}

// FuzzOpen checks opening against an oracle built on the standard
// library alone: the same verdict, the same kind of refusal, the same
// plaintext. An accepted token must also be canonical: re-sealing its
// plaintext under its own IV gives it back byte for byte.
func FuzzOpen(f *testing.F) {
	cbc, gcm := fuzzCodecs(f)
	for _, scheme := range bothSchemes {
		isGCM := scheme == envelope.GCM
		tok := sealStd(f, scheme, fuzzKey, bytes.Repeat([]byte{7}, scheme.IVSize()), []byte(`{"a":"b"}`))
		f.Add(tok, isGCM)
		f.Add(tok[:10]+"\n"+tok[10:], isGCM)
		f.Add(strings.TrimRight(tok, "="), isGCM)
		f.Add("", isGCM)
	}
	f.Fuzz(func(t *testing.T, token string, isGCM bool) {
		c := pick(isGCM, cbc, gcm)
		pt, err := c.Open(token)
		wantPT, wantKind := expectOpen(c.Scheme(), fuzzKey, token)
		require.Equal(t, wantKind, envelope.KindOf(err), "%q: %v", token, err)
		if err != nil {
			require.Less(t, len(err.Error()), 200, "error text stays short")
			return
		}
		require.Equal(t, string(wantPT), string(pt))
		raw := rawToken(t, []byte(token))
		resealed, err := c.AppendSealIV(nil, raw[:c.Scheme().IVSize()], pt)
		require.NoError(t, err)
		require.Equal(t, token, string(resealed), "accepted token is not canonical")
	})
}

// expectOpen is the oracle of FuzzOpen: it applies the decoding rules of
// PROTOCOL.md section 2 with the standard library and returns the
// plaintext, or the kind of error a strict receiver reports.
func expectOpen(scheme envelope.Scheme, key []byte, token string) ([]byte, envelope.Kind) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	switch {
	case token == "":
		return nil, envelope.KindLength
	case strings.ContainsFunc(token, func(r rune) bool { return !strings.ContainsRune(alphabet, r) }):
		return nil, envelope.KindBase64
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(token)
	if err != nil {
		return nil, envelope.KindBase64
	}
	block, _ := aes.NewCipher(key)
	if scheme == envelope.GCM {
		if len(raw) < 12+16 {
			return nil, envelope.KindLength
		}
		aead, _ := cipher.NewGCM(block)
		pt, err := aead.Open(nil, raw[:12], raw[12:], nil)
		if err != nil {
			return nil, envelope.KindTag
		}
		return pt, ""
	}
	if len(raw) < 32 || len(raw)%16 != 0 {
		return nil, envelope.KindLength
	}
	body := raw[16:]
	cipher.NewCBCDecrypter(block, raw[:16]).CryptBlocks(body, body)
	pad := int(body[len(body)-1])
	want := bytes.Repeat([]byte{byte(pad)}, pad)
	if pad < 1 || pad > 16 || !bytes.Equal(body[len(body)-pad:], want) {
		return nil, envelope.KindPadding
	}
	return body[:len(body)-pad], ""
}

// memberOccurrences decodes the top level of a JSON object and returns
// every value of member name.
func memberOccurrences(t *testing.T, doc []byte, name string) []json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok, "document is an object")
	var found []json.RawMessage
	for dec.More() {
		key, err := dec.Token()
		require.NoError(t, err)
		var v json.RawMessage
		require.NoError(t, dec.Decode(&v))
		if key == name {
			found = append(found, v)
		}
	}
	return found
}

// FuzzTokenMember checks that a returned token is exactly what
// encoding/json reads from the member, which appears once in a valid
// JSON object.
func FuzzTokenMember(f *testing.F) {
	f.Add([]byte(`{"RequestData":"QUJD+/=="}`), false)
	f.Add([]byte(`{ "RequestData" : "QU\/JD" , "x" : 1 }`), false)
	f.Add([]byte(`{"RequestData":"QUJD","RequestData":"QUJD"}`), false)
	f.Add([]byte(`{"ResponseData":{"RequestData":"x"}}`), true)
	f.Add([]byte(`["QUJD"]`), false)
	f.Add([]byte(``), true)
	f.Fuzz(func(t *testing.T, doc []byte, response bool) {
		name := envelope.RequestDataMember
		if response {
			name = envelope.ResponseDataMember
		}
		tok, err := envelope.TokenMember(doc, name)
		if err != nil {
			kinds := []envelope.Kind{envelope.KindJSON, envelope.KindMember}
			require.Contains(t, kinds, envelope.KindOf(err), "%v", err)
			return
		}
		require.True(t, json.Valid(doc), "accepted a document that is not JSON: %q", doc)
		found := memberOccurrences(t, doc, name)
		require.Len(t, found, 1, "member %s must appear once in %q", name, doc)
		var s string
		require.NoError(t, json.Unmarshal(found[0], &s), "member is a string")
		require.Equal(t, s, string(tok))
	})
}

// FuzzOpenResponse checks that judging an answer never panics, that a
// non-2xx body always comes back untouched and unopened, and that an
// opened 2xx answer is JSON that its ResponseData token really holds.
func FuzzOpenResponse(f *testing.F) {
	cbc, gcm := fuzzCodecs(f)
	tok := sealStd(f, envelope.CBC, fuzzKey, make([]byte, 16), []byte(`{"ok":1}`))
	ok := `{"ResponseData":"` + tok + `"}`
	f.Add(200, []byte(ok), false)
	f.Add(401, []byte(ok), false)
	f.Add(401, []byte(`{"status":"FAILURE","statusCode":401,"statusDesc":"invalid pass_key"}`), true)
	f.Add(200, []byte(`{"ResponseData":123}`), true)
	f.Add(-1, []byte(nil), false)
	f.Fuzz(func(t *testing.T, status int, body []byte, isGCM bool) {
		c := pick(isGCM, cbc, gcm)
		resp, err := c.OpenResponse(status, body)
		require.Equal(t, status, resp.Status)
		if err != nil {
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
		}
		if status < 200 || status > 299 {
			require.False(t, resp.Encrypted, "a non-2xx answer is never opened")
			require.Equal(t, body, resp.JSON, "a non-2xx body comes back as it came")
			if err == nil {
				require.True(t, json.Valid(body))
			}
			return
		}
		if err != nil {
			require.False(t, resp.Encrypted)
			return
		}
		require.True(t, json.Valid(body), "opened a body that is not JSON: %q", body)
		require.True(t, resp.Encrypted)
		require.True(t, json.Valid(resp.JSON), "opened answer is JSON")
		tok, err := envelope.TokenMember(body, envelope.ResponseDataMember)
		require.NoError(t, err)
		pt, err := c.AppendOpen(nil, tok)
		require.NoError(t, err)
		require.Equal(t, pt, resp.JSON)
	})
}

// FuzzOpenResponsePlaintext seals arbitrary plaintext as a success answer
// and checks that OpenResponse accepts it exactly when encoding/json calls
// it valid JSON, and then returns it unchanged.
func FuzzOpenResponsePlaintext(f *testing.F) {
	cbc, gcm := fuzzCodecs(f)
	for _, pt := range []string{`{"a":[1,2.5e-3,true,null,"x\u00e9"]}`, `[]`, `"s"`, `-0`, `01`,
		`{"a":1,}`, `[1 2]`, "\"caf\xc3\xa9\"", "\"\xff\"", `{"a":"\ud800"}`, ` `, ``} {
		f.Add([]byte(pt), false)
	}
	f.Fuzz(func(t *testing.T, pt []byte, isGCM bool) {
		c := pick(isGCM, cbc, gcm)
		iv := make([]byte, c.Scheme().IVSize())
		body := `{"ResponseData":"` + sealStd(t, c.Scheme(), fuzzKey, iv, pt) + `"}`
		resp, err := c.OpenResponse(200, []byte(body))
		if !json.Valid(pt) {
			require.Equal(t, envelope.KindJSON, envelope.KindOf(err), "accepted non-JSON %q", pt)
			return
		}
		require.NoError(t, err, "refused valid JSON %q", pt)
		require.Equal(t, pt, resp.JSON)
	})
}

package envelope_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

var (
	respKey = bytes.Repeat([]byte{0x31}, 32)
	respIV  = bytes.Repeat([]byte{0x32}, 16)
)

const respPayload = `{"status":"SUCCESS","statusCode":200,"data":{"transferId":"TRF-000123"}}`

// sealedBody is a success body sealed by the standard library.
func sealedBody(t *testing.T, pt string) []byte {
	t.Helper()
	return []byte(`{"ResponseData":"` + sealStd(t, envelope.CBC, respKey, respIV, []byte(pt)) + `"}`)
}

func TestOpenResponseSealedSuccess(t *testing.T) {
	c := newCodec(t, envelope.CBC, respKey)
	for _, status := range []int{200, 201, 204, 299} {
		resp, err := c.OpenResponse(status, sealedBody(t, respPayload))
		require.NoError(t, err, status)
		want := envelope.Response{Status: status, Encrypted: true, JSON: []byte(respPayload)}
		assert.Equal(t, want, resp)
	}
}

func TestOpenResponsePlainErrors(t *testing.T) {
	c := newCodec(t, envelope.CBC, respKey)
	body := []byte(`{"status":"FAILURE","statusCode":401,"statusDesc":"invalid pass_key"}`)
	for _, status := range []int{100, 199, 300, 400, 401, 404, 500, 503} {
		resp, err := c.OpenResponse(status, body)
		require.NoError(t, err, status)
		assert.Equal(t, envelope.Response{Status: status, JSON: body}, resp, "returned as it came")
	}
	// A plain error that happens to be a JSON array or nested ResponseData
	// is still plain.
	for _, b := range []string{`[1,2]`, `{"error":{"ResponseData":"x"}}`, `"text"`} {
		_, err := c.OpenResponse(400, []byte(b))
		assert.NoError(t, err, b)
	}
}

func TestOpenResponseRejects(t *testing.T) {
	c := newCodec(t, envelope.CBC, respKey)
	wrongKey := []byte(`{"ResponseData":"` +
		sealStd(t, envelope.CBC, bytes.Repeat([]byte{0x33}, 32), respIV, []byte(respPayload)) + `"}`)
	tok := sealStd(t, envelope.CBC, respKey, respIV, []byte(respPayload))
	m, j, rd := envelope.KindMember, envelope.KindJSON, "ResponseData"
	cases := []struct {
		name   string
		status int
		body   []byte
		kind   envelope.Kind
		field  string
	}{
		{"401 carrying ResponseData", 401, sealedBody(t, respPayload), m, rd},
		{"500 carrying null ResponseData", 500, []byte(`{"ResponseData":null}`),
			m, rd},
		{"401 body not JSON", 401, []byte(`<html>denied</html>`), envelope.KindJSON, "body"},
		{"401 empty body", 401, nil, envelope.KindJSON, "body"},
		{"200 without ResponseData", 200, []byte(respPayload), m, rd},
		{"200 ResponseData number", 200, []byte(`{"ResponseData":123}`), m, rd},
		{"200 ResponseData null", 200, []byte(`{"ResponseData":null}`), m, rd},
		{"200 ResponseData object", 200, []byte(`{"ResponseData":{"token":"AAAA"}}`),
			m, rd},
		{"200 ResponseData array", 200, []byte(`{"ResponseData":["AAAA"]}`), m, rd},
		{"200 opens to non-JSON", 200, sealedBody(t, "OK"), j, rd},
		{"200 opens to empty", 200, sealedBody(t, ""), j, rd},
		{"200 opens to cut JSON", 200, sealedBody(t, respPayload[:20]), j, rd},
		{"200 body not JSON", 200, []byte(`ResponseData=abc`), envelope.KindJSON, "body"},
		{"200 empty body", 200, nil, envelope.KindJSON, "body"},
		{"200 body a JSON array", 200, []byte(`["` + tok + `"]`), envelope.KindJSON, "body"},
		{"200 duplicate ResponseData", 200,
			[]byte(`{"ResponseData":"` + tok + `","ResponseData":"` + tok + `"}`),
			m, rd},
		{"200 wrong key", 200, wrongKey, envelope.KindPadding, "ResponseData"},
		{"200 url-safe token", 200, []byte(`{"ResponseData":"` + urlSafe(tok) + `"}`),
			envelope.KindBase64, "ResponseData"},
		{"200 empty token", 200, []byte(`{"ResponseData":""}`), envelope.KindLength, "ResponseData"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.OpenResponse(tc.status, tc.body)
			var e *envelope.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.kind, e.Kind, "%v", err)
			assert.Equal(t, tc.field, e.Field, "%v", err)
			assert.Equal(t, tc.status, resp.Status)
			assert.False(t, resp.Encrypted, "a refused answer is not reported as opened")
			assert.NotContains(t, err.Error(), "TRF-000123", "error repeats the plaintext")
		})
	}
}

// A non-2xx answer is never decrypted, even when it holds a valid token:
// its body comes back untouched next to the error.
func TestOpenResponseNeverDecryptsErrors(t *testing.T) {
	c := newCodec(t, envelope.CBC, respKey)
	body := sealedBody(t, respPayload)
	resp, err := c.OpenResponse(401, body)
	require.Error(t, err)
	assert.Equal(t, body, resp.JSON)
	assert.False(t, resp.Encrypted)
}

func urlSafe(tok string) string {
	return string(bytes.Map(func(r rune) rune {
		switch r {
		case '+':
			return '-'
		case '/':
			return '_'
		}
		return r
	}, []byte(tok)))
}

func TestAppendSealResponseRoundTrip(t *testing.T) {
	for _, scheme := range bothSchemes {
		iv := bytes.Repeat([]byte{0x34}, scheme.IVSize())
		c := newCodec(t, scheme, respKey, envelope.WithIVSource(bytes.NewReader(iv)))
		doc, err := c.AppendSealResponse([]byte("prefix:"), []byte(respPayload))
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(doc, []byte("prefix:")))
		doc = doc[len("prefix:"):]

		var m map[string]string
		require.NoError(t, json.Unmarshal(doc, &m), "%s", doc)
		require.Len(t, m, 1)
		assert.Equal(t, `{"ResponseData":"`+m["ResponseData"]+`"}`, string(doc), "compact form")
		assert.Equal(t, sealStd(t, scheme, respKey, iv, []byte(respPayload)), m["ResponseData"])

		opener := newCodec(t, scheme, respKey)
		resp, err := opener.OpenResponse(200, doc)
		require.NoError(t, err)
		assert.Equal(t, respPayload, string(resp.JSON))
	}
}

func TestAppendSealResponseIVSourceExhausted(t *testing.T) {
	c := newCodec(t, envelope.CBC, respKey, envelope.WithIVSource(bytes.NewReader(nil)))
	_, err := c.AppendSealResponse(nil, []byte(`{}`))
	assert.ErrorContains(t, err, "reading IV")
}

func TestTokenMemberFastPathAliasesTheDocument(t *testing.T) {
	docs := []string{`{"RequestData":"QUJD+/=="}`, " \r\n\t{\"RequestData\":\"QUJD+/==\"}\n"}
	for _, doc := range docs {
		b := []byte(doc)
		tok, err := envelope.TokenMember(b, "RequestData")
		require.NoError(t, err)
		assert.Equal(t, "QUJD+/==", string(tok))
		start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		at := uintptr(unsafe.Pointer(unsafe.SliceData(tok)))
		assert.True(t, at >= start && at < start+uintptr(len(b)), "token points into the document")
	}
}

func TestTokenMemberGeneralPath(t *testing.T) {
	cases := map[string]string{
		`{ "RequestData" : "QUJD" }`:                             "QUJD",
		`{"RequestData":"QU\/JD"}`:                               "QU/JD",
		`{"RequestData":"QU\u002bJD"}`:                           "QU+JD",
		`{"a":1,"RequestData":"QUJD","b":[{"RequestData":1}]}`:   "QUJD",
		`{"nested":{"RequestData":"WA=="},"RequestData":"QUJD"}`: "QUJD",
		`{"requestdata":"x","RequestData":"QUJD"}`:               "QUJD",
		`{"RequestData":"not base64 but a string"}`:              "not base64 but a string",
		`{"RequestData":""}`:                                     "",
	}
	for doc, want := range cases {
		tok, err := envelope.TokenMember([]byte(doc), "RequestData")
		require.NoError(t, err, doc)
		assert.Equal(t, want, string(tok), doc)
	}
}

func TestParseRequestBodyRejects(t *testing.T) {
	cases := []struct {
		body  string
		kind  envelope.Kind
		field string
	}{
		{`{"RequestData":12}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":null}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":true}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":["QUJD"]}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":{"t":"QUJD"}}`, envelope.KindMember, "RequestData"},
		{`{}`, envelope.KindMember, "RequestData"},
		{`{"requestData":"QUJD"}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":"QUJD","RequestData":"QUJD"}`, envelope.KindMember, "RequestData"},
		{`{"RequestData":"QUJD","RequestData":1}`, envelope.KindMember, "RequestData"},
		{`["QUJD"]`, envelope.KindJSON, "body"},
		{`"QUJD"`, envelope.KindJSON, "body"},
		{``, envelope.KindJSON, "body"},
		{`{"RequestData":"QUJD"`, envelope.KindJSON, "body"},
		{`{"RequestData":"QUJD"}x`, envelope.KindJSON, "body"},
		{`{"RequestData":"QUJD"}{}`, envelope.KindJSON, "body"},
		{`RequestData=QUJD`, envelope.KindJSON, "body"},
		{`{'RequestData':'QUJD'}`, envelope.KindJSON, "body"},
	}
	for _, tc := range cases {
		_, err := envelope.ParseRequestBody([]byte(tc.body))
		var e *envelope.Error
		require.ErrorAs(t, err, &e, tc.body)
		assert.Equal(t, tc.kind, e.Kind, "%s: %v", tc.body, err)
		assert.Equal(t, tc.field, e.Field, "%s: %v", tc.body, err)
	}
}

// JSON allows only space, tab, CR and LF around a value; other white
// space makes the body something that is not JSON.
func TestTokenMemberRejectsNonJSONWhiteSpace(t *testing.T) {
	for _, space := range []string{"\v", "\f", "\u0085", "\u00a0", "\u2028", "\u3000"} {
		for _, doc := range []string{space + `{"RequestData":"QUJD"}`, `{"RequestData":"QUJD"}` + space} {
			require.False(t, json.Valid([]byte(doc)), "premise: %q is not JSON", doc)
			_, err := envelope.ParseRequestBody([]byte(doc))
			assert.Equal(t, envelope.KindJSON, envelope.KindOf(err), "%q", doc)
		}
	}
}

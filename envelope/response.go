package envelope

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Response is what a client understands of an answer: for a 2xx answer
// the opened ResponseData, for any other the plain JSON body as it came.
type Response struct {
	Status    int
	Encrypted bool   // the answer was a sealed success
	JSON      []byte // opened ResponseData, or the plain error body
}

// OpenResponse judges and opens an answer as PROTOCOL.md section 5
// requires: a 2xx answer must be a JSON object with a string ResponseData
// that opens to JSON; any other answer must be plain JSON without a
// ResponseData member and is returned as it is, never decrypted.
func (c *Codec) OpenResponse(status int, body []byte) (Response, error) {
	if status < 200 || status > 299 {
		return Response{Status: status, JSON: body}, plainAnswer(body)
	}
	tok, err := TokenMember(body, ResponseDataMember)
	if err != nil {
		return Response{Status: status}, err
	}
	pt, err := c.AppendOpen(nil, tok)
	if err != nil {
		return Response{Status: status}, retarget(err, ResponseDataMember)
	}
	if !json.Valid(pt) {
		return Response{Status: status}, newError(KindJSON, ResponseDataMember, "opens to bytes that are not JSON")
	}
	return Response{Status: status, Encrypted: true, JSON: pt}, nil
}

// plainAnswer checks a non-2xx body: JSON, and no ResponseData member.
func plainAnswer(body []byte) error {
	if !json.Valid(body) {
		return newError(KindJSON, "body", "error answer is not JSON")
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) == nil {
		if _, ok := members[ResponseDataMember]; ok {
			return newError(KindMember, ResponseDataMember, "error answer carries ResponseData; failures must be plain JSON")
		}
	}
	return nil
}

// AppendSealResponse seals payload as a success document
// {"ResponseData":"<token>"} under a fresh IV and appends it to dst.
func (c *Codec) AppendSealResponse(dst, payload []byte) ([]byte, error) {
	dst = append(dst, responseBodyPrefix...)
	dst, err := c.AppendSeal(dst, payload)
	return append(dst, tokenDocumentSuffix...), err
}

// ParseRequestBody returns the RequestData token of a request body. The
// body must be a JSON object in which RequestData appears once, as a
// string; other members are ignored. The token aliases body.
func ParseRequestBody(body []byte) ([]byte, error) {
	return TokenMember(body, RequestDataMember)
}

// TokenMember returns the string member name of the JSON object doc,
// which must appear exactly once. The common compact form
// {"name":"<base64>"} is recognised without a JSON decoder, and then the
// result aliases doc; anything else goes through encoding/json.
func TokenMember(doc []byte, name string) ([]byte, error) {
	if tok, ok := compactTokenDoc(doc, name); ok {
		return tok, nil
	}
	return decodeTokenMember(doc, name)
}

// compactTokenDoc matches {"name":"T"}, with optional outer whitespace,
// where T holds only base64 characters.
func compactTokenDoc(doc []byte, name string) ([]byte, bool) {
	doc = bytes.TrimSpace(doc)
	n := len(name)
	if len(doc) < n+7 || doc[0] != '{' || doc[1] != '"' || string(doc[2:2+n]) != name ||
		string(doc[2+n:5+n]) != `":"` || string(doc[len(doc)-2:]) != tokenDocumentSuffix {
		return nil, false
	}
	tok := doc[5+n : len(doc)-2]
	for _, b := range tok {
		if !isBase64Byte(b) {
			return nil, false
		}
	}
	return tok, true
}

// decodeTokenMember is the general path of TokenMember.
func decodeTokenMember(doc []byte, name string) ([]byte, error) {
	if !json.Valid(doc) {
		return nil, newError(KindJSON, "body", "not JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, _ := dec.Token(); t != json.Delim('{') {
		return nil, newError(KindJSON, "body", "not a JSON object")
	}
	var tok []byte
	found := false
	for dec.More() {
		key, _ := dec.Token()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil && err != io.EOF {
			return nil, newError(KindJSON, "body", "not JSON")
		}
		if key != name {
			continue
		}
		if found {
			return nil, newError(KindMember, name, "member repeated")
		}
		found = true
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, newError(KindMember, name, fmt.Sprintf("member is a %s, want a string", jsonType(raw[0])))
		}
		tok = []byte(s)
	}
	if !found {
		return nil, newError(KindMember, name, "member missing")
	}
	return tok, nil
}

package envelope

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"
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
	pt, err := c.openResponseData(body)
	if err != nil {
		return Response{Status: status}, err
	}
	if !validJSON(pt) {
		return Response{Status: status},
			newError(KindJSON, ResponseDataMember, "opens to bytes that are not JSON")
	}
	return Response{Status: status, Encrypted: true, JSON: pt}, nil
}

// openResponseData finds the ResponseData token of a success body and
// opens it. The compact form {"ResponseData":"<token>"} with a token that
// decodes cleanly is opened at once; anything else takes the general path
// of TokenMember and AppendOpen, which also gives every error.
func (c *Codec) openResponseData(body []byte) ([]byte, error) {
	st := c.pool.Get().(*cbcState)
	defer c.pool.Put(st)
	if tok, ok := compactFrame(body, ResponseDataMember); ok {
		if raw, ok := decodeCanonical(st.buf[:0], tok); ok {
			st.buf = raw[:0]
			pt, err := c.openRaw(st, nil, raw)
			if err != nil {
				return nil, retarget(err, ResponseDataMember)
			}
			return pt, nil
		}
	}
	tok, err := TokenMember(body, ResponseDataMember)
	if err != nil {
		return nil, err
	}
	pt, err := c.openWith(st, nil, tok)
	if err != nil {
		return nil, retarget(err, ResponseDataMember)
	}
	return pt, nil
}

// plainAnswer checks a non-2xx body: JSON, and no ResponseData member.
func plainAnswer(body []byte) error {
	if !json.Valid(body) {
		return newError(KindJSON, "body", "error answer is not JSON")
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) == nil {
		if _, ok := members[ResponseDataMember]; ok {
			return newError(KindMember, ResponseDataMember,
				"error answer carries ResponseData; failures must be plain JSON")
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
	tok, ok := compactFrame(doc, name)
	if !ok || !allBase64(tok) {
		return nil, false
	}
	return tok, true
}

// compactFrame matches {"name":"T"} with optional outer whitespace and
// returns T, whatever its bytes.
func compactFrame(doc []byte, name string) ([]byte, bool) {
	doc = bytes.Trim(doc, " \t\r\n") // JSON white space only
	n := len(name)
	if len(doc) < n+7 || doc[0] != '{' || doc[1] != '"' || string(doc[2:2+n]) != name ||
		string(doc[2+n:5+n]) != `":"` || string(doc[len(doc)-2:]) != tokenDocumentSuffix {
		return nil, false
	}
	return doc[5+n : len(doc)-2], true
}

// decodeTokenMember is the general path of TokenMember.
func decodeTokenMember(doc []byte, name string) ([]byte, error) {
	if !json.Valid(doc) {
		return nil, newError(KindJSON, "body", "not JSON")
	}
	// encoding/json reads invalid UTF-8 as U+FFFD; JSON text must be UTF-8.
	if !utf8.Valid(doc) {
		return nil, newError(KindJSON, "body", "not UTF-8")
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
		// null decodes into a string without error, so check the type first.
		var s string
		if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return nil, newError(KindMember, name,
				fmt.Sprintf("member is a %s, want a string", jsonType(raw[0])))
		}
		tok = []byte(s)
	}
	if !found {
		return nil, newError(KindMember, name, "member missing")
	}
	return tok, nil
}

// validJSON reports whether data is valid JSON, exactly as json.Valid
// does. The answers of a gateway are small documents of plain ASCII,
// which quickJSON accepts several times faster than encoding/json; it
// accepts only what it is sure of and leaves anything else (errors,
// non-ASCII text, deep nesting) to json.Valid.
func validJSON(data []byte) bool {
	return quickJSON(data) || json.Valid(data)
}

// quickJSONDepth is the nesting quickJSON follows before it gives up;
// encoding/json follows ten thousand levels.
const quickJSONDepth = 64

// quickJSON reports true if data is one JSON value (RFC 8259) made of
// printable ASCII and nested at most quickJSONDepth deep. False means
// invalid or unsure.
func quickJSON(data []byte) bool {
	var open containers
	i := 0
	for {
		// A value starts at i.
		if i = skipSpace(data, i); i >= len(data) {
			return false
		}
		c := data[i]
		if c != '{' && c != '[' {
			if i = scalarEnd(data, i); i < 0 {
				return false
			}
		} else if i = skipSpace(data, i+1); i < len(data) && data[i] == closer(c == '{') {
			i++ // an empty container is a whole value
		} else if !open.push(c == '{') {
			return false
		} else {
			if c == '{' {
				if i = memberStart(data, i); i < 0 {
					return false
				}
			}
			continue
		}
		more := false
		if i, more = open.afterValue(data, i); !more {
			return i == len(data)
		}
	}
}

// containers is the stack of open objects and arrays: one bit a level,
// set for an object, the innermost in the lowest bit.
type containers struct {
	objects uint64
	depth   int
}

// push opens an object or an array, or reports false past quickJSONDepth.
func (s *containers) push(object bool) bool {
	if s.depth == quickJSONDepth {
		return false
	}
	s.depth++
	s.objects <<= 1
	if object {
		s.objects |= 1
	}
	return true
}

func (s *containers) inObject() bool { return s.objects&1 == 1 }

// afterValue reads what follows a value that ended at i: the closers of
// finished containers, then a comma and, in an object, the next member's
// name. It returns where the next value starts and true, or false when
// the scan is over: with len(data) when the document ended well, with
// anything else when it did not.
func (s *containers) afterValue(data []byte, i int) (int, bool) {
	for {
		i = skipSpace(data, i)
		if s.depth == 0 {
			return i, false
		}
		if i >= len(data) {
			return -1, false
		}
		c := data[i]
		i++
		if c == ',' {
			break
		}
		if c != closer(s.inObject()) {
			return -1, false
		}
		s.depth--
		s.objects >>= 1
	}
	if s.inObject() {
		i = memberStart(data, skipSpace(data, i))
	}
	return i, i >= 0
}

// closer returns the byte that closes an object or an array.
func closer(object bool) byte {
	if object {
		return '}'
	}
	return ']'
}

// memberStart reads a member name and its colon at i and returns where
// the member's value starts, or -1.
func memberStart(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return -1
	}
	if i = stringEnd(data, i); i < 0 {
		return -1
	}
	if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
		return -1
	}
	return i + 1
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scalarEnd returns the end of the string, number or literal at i, or -1.
func scalarEnd(data []byte, i int) int {
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case 't':
		return wordEnd(data, i, "true")
	case 'f':
		return wordEnd(data, i, "false")
	case 'n':
		return wordEnd(data, i, "null")
	}
	return numberEnd(data, i)
}

func wordEnd(data []byte, i int, w string) int {
	if len(data)-i < len(w) || string(data[i:i+len(w)]) != w {
		return -1
	}
	return i + len(w)
}

// stringEnd returns the end of the string of printable ASCII and escapes
// whose opening quote is at i, or -1. It reads eight bytes at a time.
func stringEnd(data []byte, i int) int {
	i++
	for i+8 <= len(data) {
		flagged := needsAttention(binary.LittleEndian.Uint64(data[i:]))
		if flagged == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(flagged) / 8
		switch data[i] {
		case '"':
			return i + 1
		case '\\':
			if i = escapeEnd(data, i); i < 0 {
				return -1
			}
		default:
			return -1 // a control byte, or non-ASCII
		}
	}
	return stringTailEnd(data, i)
}

// stringTailEnd is stringEnd for the last few bytes, one at a time.
func stringTailEnd(data []byte, i int) int {
	for i < len(data) {
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i = escapeEnd(data, i); i < 0 {
				return -1
			}
		case c < 0x20 || c >= 0x80:
			return -1 // a control byte, or non-ASCII
		default:
			i++
		}
	}
	return -1
}

// Masks for testing eight bytes at once: every byte 0x01, and 0x80.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// needsAttention flags, in the high bit of its byte, each byte of x (read
// little-endian) that a string cannot simply pass over: a quote, a
// backslash, a control byte or a non-ASCII byte. A flag above the lowest
// may be spurious, as a borrow carries upwards; the lowest flag is exact
// because a borrow only starts at a flagged byte.
func needsAttention(x uint64) uint64 {
	quote, slash := x^('"'*lowBits), x^('\\'*lowBits)
	return (x | (x - 0x20*lowBits) | (quote - lowBits) | (slash - lowBits)) & highBits
}

// escapeEnd returns the end of the escape sequence at i, one of
// \" \\ \/ \b \f \n \r \t or \u and four hex digits, or -1.
func escapeEnd(data []byte, i int) int {
	if i+1 >= len(data) {
		return -1
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2
	case 'u':
		if i+6 > len(data) {
			return -1
		}
		for _, h := range data[i+2 : i+6] {
			if !isHexDigit(h) {
				return -1
			}
		}
		return i + 6
	}
	return -1
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// numberEnd returns the end of -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// at i, or -1.
func numberEnd(data []byte, i int) int {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = digitsEnd(data, i)
	default:
		return -1
	}
	if i < len(data) && data[i] == '.' {
		if i = digitsEnd(data, i+1); i < 0 {
			return -1
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		return digitsEnd(data, i)
	}
	return i
}

// digitsEnd returns the end of one or more decimal digits at i, or -1.
func digitsEnd(data []byte, i int) int {
	start := i
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

package envelope

import (
	"encoding/json"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// scanStringObject walks a JSON object whose members must all be strings
// and calls fn for each member in document order. It is the strict parser
// of header_secrets: faster than encoding/json for this fixed shape, and it
// sees repeated members, which encoding/json silently merges. Input that
// is not an object of strings is a KindJSON error when it is not JSON at
// all or not an object, and a KindMember error when a member is not a
// string.
func scanStringObject(data []byte, fn func(name, value string) error) error {
	s := jscanner{data: data}
	s.space()
	if !s.take('{') {
		return s.notObject()
	}
	s.space()
	if s.take('}') {
		return s.end()
	}
	for {
		s.space()
		name, err := s.str()
		if err != nil {
			return err
		}
		s.space()
		if !s.take(':') {
			return s.syntax("want ':' after a member name")
		}
		s.space()
		if s.peek() != '"' {
			return s.notString(name)
		}
		value, err := s.str()
		if err != nil {
			return err
		}
		if err := fn(name, value); err != nil {
			return err
		}
		s.space()
		if s.take(',') {
			continue
		}
		if s.take('}') {
			return s.end()
		}
		return s.syntax("want ',' or '}' after a member")
	}
}

type jscanner struct {
	data []byte
	pos  int
}

func (s *jscanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *jscanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *jscanner) take(c byte) bool {
	if s.peek() == c && s.pos < len(s.data) {
		s.pos++
		return true
	}
	return false
}

func (s *jscanner) end() error {
	s.space()
	if s.pos != len(s.data) {
		return s.syntax("data after the object")
	}
	return nil
}

func (s *jscanner) syntax(reason string) error {
	return &Error{Kind: KindJSON, Offset: s.pos, Reason: reason}
}

func (s *jscanner) notObject() error {
	if json.Valid(s.data) {
		return &Error{Kind: KindJSON, Offset: s.pos, Reason: "JSON " + jsonType(s.peek()) + ", want an object"}
	}
	return s.syntax("not JSON")
}

func (s *jscanner) notString(name string) error {
	if !json.Valid(s.data) {
		return s.syntax("not JSON")
	}
	return &Error{Kind: KindMember, Field: fieldName(name), Offset: s.pos,
		Reason: "member is a " + jsonType(s.peek()) + ", want a string"}
}

func jsonType(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '"':
		return "string"
	}
	return "number"
}

// str reads a JSON string at the current position and returns its value.
func (s *jscanner) str() (string, error) {
	if !s.take('"') {
		return "", s.syntax("want a string")
	}
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			v := string(s.data[start:s.pos])
			s.pos++
			return v, nil
		case c == '\\':
			return s.escapedStr(start)
		case c < 0x20:
			return "", s.syntax("control character in a string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", s.syntax("invalid UTF-8 in a string")
			}
			s.pos += size
		default:
			s.pos++
		}
	}
	return "", s.syntax("unterminated string")
}

// escapedStr finishes a string that holds escapes; start is the offset of
// its first byte.
func (s *jscanner) escapedStr(start int) (string, error) {
	buf := append([]byte(nil), s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return string(buf), nil
		case c == '\\':
			var err error
			if buf, err = s.escape(buf); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", s.syntax("control character in a string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && size == 1 {
				return "", s.syntax("invalid UTF-8 in a string")
			}
			buf = append(buf, s.data[s.pos:s.pos+size]...)
			s.pos += size
		default:
			buf = append(buf, c)
			s.pos++
		}
	}
	return "", s.syntax("unterminated string")
}

// escape decodes the escape sequence at the current position into buf.
func (s *jscanner) escape(buf []byte) ([]byte, error) {
	if s.pos+1 >= len(s.data) {
		return buf, s.syntax("unterminated escape")
	}
	c := s.data[s.pos+1]
	s.pos += 2
	switch c {
	case '"', '\\', '/':
		return append(buf, c), nil
	case 'b':
		return append(buf, '\b'), nil
	case 'f':
		return append(buf, '\f'), nil
	case 'n':
		return append(buf, '\n'), nil
	case 'r':
		return append(buf, '\r'), nil
	case 't':
		return append(buf, '\t'), nil
	case 'u':
		return s.unicodeEscape(buf)
	}
	s.pos -= 2
	return buf, s.syntax(fmt.Sprintf("invalid escape \\%c", c))
}

// unicodeEscape decodes \u and four hex digits (the "\u" already read),
// joining surrogate pairs; a lone surrogate becomes U+FFFD as in
// encoding/json.
func (s *jscanner) unicodeEscape(buf []byte) ([]byte, error) {
	r, ok := s.hex4()
	if !ok {
		return buf, s.syntax("invalid \\u escape")
	}
	if utf16.IsSurrogate(r) {
		if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
			save := s.pos
			s.pos += 2
			if r2, ok := s.hex4(); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return utf8.AppendRune(buf, dec), nil
				}
			}
			s.pos = save
		}
		r = utf8.RuneError
	}
	return utf8.AppendRune(buf, r), nil
}

func (s *jscanner) hex4() (rune, bool) {
	if s.pos+4 > len(s.data) {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	s.pos += 4
	return r, true
}

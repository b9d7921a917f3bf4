package envelope

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// HasMember reports whether doc, a JSON document already known to be
// valid (as an opened Response's JSON is), is an object with a top-level
// member name, as decoding it with encoding/json would find it. It walks
// the top level once without decoding values, so it costs far less than
// a decode on large answers. On input that is not valid JSON its answer
// means nothing.
func HasMember(doc []byte, name string) bool {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return false
	}
	for i = skipSpace(doc, i+1); i < len(doc) && doc[i] == '"'; {
		end := skipMemberString(doc, i)
		if keyEquals(doc[i:end], name) {
			return true
		}
		i = skipSpace(doc, end) // at ':'
		i = skipMemberValue(doc, skipSpace(doc, i+1))
		i = skipSpace(doc, i) // at ',' or '}'
		if i >= len(doc) || doc[i] != ',' {
			return false
		}
		i = skipSpace(doc, i+1)
	}
	return false
}

// keyEquals compares a quoted JSON string with name, decoding it only
// when it holds escapes or invalid UTF-8: decoding turns each invalid
// byte into U+FFFD, so the key then reads as encoding/json reads it.
func keyEquals(quoted []byte, name string) bool {
	if bytes.IndexByte(quoted, '\\') < 0 && utf8.Valid(quoted) {
		return string(quoted[1:len(quoted)-1]) == name
	}
	var key string
	return json.Unmarshal(quoted, &key) == nil && key == name
}

// skipString returns the index just past the string starting at i.
func skipMemberString(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(doc)
}

// skipValue returns the index just past the value starting at i.
func skipMemberValue(doc []byte, i int) int {
	depth := 0
	for i < len(doc) {
		switch c := doc[i]; {
		case c == '"':
			i = skipMemberString(doc, i)
			if depth == 0 {
				return i
			}
			continue
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case depth == 0 && c == ',':
			return i
		}
		i++
	}
	return i
}

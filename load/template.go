package load

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Placeholders lists the names a payload template may use, each written
// {{name}} inside a JSON string of the route's payload:
//
//   - seq: the request's sequence number in decimal, unique across the
//     shards of one run (shard i of N numbers its requests i, i+N, ...)
//   - uuid: a random version-4 UUID, fresh for every request
//   - now: the time the request is built, RFC 3339 in UTC with
//     milliseconds, such as 2026-01-02T15:04:05.123Z
//   - unix: the same time as whole Unix seconds in decimal
//
// The values hold only digits, letters, '-', ':', '.' and 'T', so they
// need no JSON escaping and a payload stays JSON after substitution.
var Placeholders = []string{"seq", "uuid", "now", "unix"}

// field is what a placeholder stands for.
type field uint8

const (
	literal field = iota
	fieldSeq
	fieldUUID
	fieldNow
	fieldUnix
)

var fieldNames = map[string]field{
	"seq": fieldSeq, "uuid": fieldUUID, "now": fieldNow, "unix": fieldUnix,
}

// part is a run of literal bytes or one placeholder of a template.
type part struct {
	kind field
	text []byte // the literal bytes; empty for a placeholder
}

// template is a payload split at its placeholders once, so that
// rendering is appending.
type template struct {
	parts []part
}

// parseTemplate splits payload at its placeholders. A {{name}} whose name
// is made of lower-case letters and '_' but is not a known placeholder is
// an error, as it is most likely a typing mistake; any other "{{" is
// payload text.
func parseTemplate(payload []byte) (template, error) {
	var t template
	rest := payload
	for {
		i := bytes.Index(rest, []byte("{{"))
		if i < 0 {
			break
		}
		name, n, ok := placeholderAt(rest[i:])
		if !ok {
			t.addLiteral(rest[:i+2])
			rest = rest[i+2:]
			continue
		}
		f, known := fieldNames[name]
		if !known {
			return template{}, fmt.Errorf("placeholder {{%s}} is unknown (want one of %v)",
				name, Placeholders)
		}
		t.addLiteral(rest[:i])
		t.parts = append(t.parts, part{kind: f})
		rest = rest[i+n:]
	}
	t.addLiteral(rest)
	return t, nil
}

// placeholderAt reads {{name}} at the start of b and returns the name and
// the length of the whole placeholder.
func placeholderAt(b []byte) (string, int, bool) {
	end := bytes.Index(b, []byte("}}"))
	if end < 3 {
		return "", 0, false
	}
	name := b[2:end]
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return "", 0, false
		}
	}
	return string(name), end + 2, true
}

// addLiteral appends literal bytes, merging them with a literal before.
func (t *template) addLiteral(b []byte) {
	if len(b) == 0 {
		return
	}
	if n := len(t.parts); n > 0 && t.parts[n-1].kind == literal {
		t.parts[n-1].text = append(t.parts[n-1].text, b...)
		return
	}
	t.parts = append(t.parts, part{text: bytes.Clone(b)})
}

// render appends the payload for one request to dst.
func (t *template) render(dst []byte, seq uint64, now time.Time) []byte {
	for _, p := range t.parts {
		switch p.kind {
		case literal:
			dst = append(dst, p.text...)
		case fieldSeq:
			dst = strconv.AppendUint(dst, seq, 10)
		case fieldUUID:
			dst = appendUUID(dst)
		case fieldNow:
			dst = now.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		case fieldUnix:
			dst = strconv.AppendInt(dst, now.Unix(), 10)
		}
	}
	return dst
}

// appendUUID appends a random version-4 UUID (RFC 9562) in its usual
// text form. The bits come from math/rand/v2, whose default source is a
// ChaCha8 generator seeded from the OS: ids must be unique, not secret.
func appendUUID(dst []byte) []byte {
	var b [16]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	for i := range 8 {
		b[i], b[8+i] = byte(hi>>(56-8*i)), byte(lo>>(56-8*i))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

const hexDigits = "0123456789abcdef"

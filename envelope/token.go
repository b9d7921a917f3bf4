package envelope

import (
	"encoding/base64"
	"fmt"
)

// decodeToken decodes a token strictly, appending to dst: standard
// alphabet, '=' padding only at the end, length a multiple of four. Go's
// decoder skips CR and LF even in strict mode, so every byte is checked
// against the alphabet first.
func decodeToken(dst, token []byte) ([]byte, error) {
	if len(token) == 0 {
		return dst, &Error{Kind: KindLength, Field: "token", Offset: -1, Reason: "empty token"}
	}
	for i, b := range token {
		if !isBase64Byte(b) {
			return dst, &Error{Kind: KindBase64, Field: "token", Offset: i, Reason: describeByte(b)}
		}
	}
	if len(token)%4 != 0 {
		return dst, &Error{Kind: KindBase64, Field: "token", Offset: len(token),
			Reason: fmt.Sprintf("length %d is not a multiple of 4 (padding missing?)", len(token))}
	}
	out, err := base64.StdEncoding.Strict().AppendDecode(dst, token)
	if err != nil {
		off := -1
		if e, ok := err.(base64.CorruptInputError); ok {
			off = int(e)
		}
		return out, &Error{Kind: KindBase64, Field: "token", Offset: off,
			Reason: "misplaced padding or non-zero trailing bits"}
	}
	return out, nil
}

func describeByte(b byte) string {
	switch b {
	case '\n':
		return "line feed in token (tokens are one line)"
	case '\r':
		return "carriage return in token (tokens are one line)"
	case ' ', '\t':
		return "whitespace in token"
	case '-', '_':
		return fmt.Sprintf("URL-safe character %q (the standard alphabet uses + and /)", b)
	}
	if b < 0x20 || b >= 0x7f {
		return fmt.Sprintf("byte 0x%02x outside the base64 alphabet", b)
	}
	return fmt.Sprintf("character %q outside the base64 alphabet", b)
}

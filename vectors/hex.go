package vectors

import (
	"encoding/hex"
	"fmt"
)

// FromHex decodes the hex value of the named field of a test. An error names
// the field and the position of the first character that is not a hex digit,
// but never repeats the value, which may be a key.
func FromHex(s, field string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return nil, fmt.Errorf("vectors: field %s: byte at offset %d is not a hex digit",
				field, i)
		}
	}
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("vectors: field %s: odd number of hex digits (%d)", field, len(s))
	}
	return hex.DecodeString(s)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

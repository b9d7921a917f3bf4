package envelope

import (
	"encoding/base64"
	"fmt"
)

// KeySize is the size of every key of the protocol: AES-256.
const KeySize = 32

// KeyEncoding says how a key is handed over as text.
type KeyEncoding string

// The key encodings of PROTOCOL.md section 1.
const (
	// KeyBase64 is a key written as standard base64 of 32 bytes (44 characters).
	KeyBase64 KeyEncoding = "base64"
	// KeyRaw is a key written as a 32-character string used as raw bytes.
	KeyRaw KeyEncoding = "raw"
)

// ParseKeyEncoding returns the encoding named s; "" means [KeyBase64].
func ParseKeyEncoding(s string) (KeyEncoding, error) {
	switch KeyEncoding(s) {
	case "", KeyBase64:
		return KeyBase64, nil
	case KeyRaw:
		return KeyRaw, nil
	}
	return "", newError(KindKey, "key_encoding", fmt.Sprintf("unknown key encoding %q, want base64 or raw", s))
}

// ParseKey decodes a key given as text in encoding enc. The error says
// what is wrong (not base64, wrong length) and never contains the key.
func ParseKey(s string, enc KeyEncoding) ([]byte, error) {
	switch enc {
	case "", KeyBase64:
		if i := firstNonBase64(s); i >= 0 {
			return nil, &Error{Kind: KindKey, Field: "key", Offset: i,
				Reason: "not standard base64 (a base64 key is 44 characters of A-Z a-z 0-9 + / =)"}
		}
		key, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, newError(KindKey, "key", "not standard base64 with padding")
		}
		if len(key) != KeySize {
			return nil, newError(KindKey, "key", fmt.Sprintf("decodes to %d bytes, want %d", len(key), KeySize))
		}
		return key, nil
	case KeyRaw:
		if len(s) != KeySize {
			return nil, newError(KindKey, "key", fmt.Sprintf("raw key is %d bytes, want %d", len(s), KeySize))
		}
		return []byte(s), nil
	}
	_, err := ParseKeyEncoding(string(enc))
	return nil, err
}

// firstNonBase64 returns the index of the first byte of s outside the
// standard alphabet and '=', or -1.
func firstNonBase64(s string) int {
	for i := 0; i < len(s); i++ {
		if !isBase64Byte(s[i]) {
			return i
		}
	}
	return -1
}

func isBase64Byte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '='
}

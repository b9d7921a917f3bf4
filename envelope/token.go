package envelope

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// decodeToken decodes a token strictly, appending to dst: standard
// alphabet, '=' padding only at the end, length a multiple of four. Go's
// decoder skips CR and LF even in strict mode, so every byte is checked
// against the alphabet first.
func decodeToken(dst, token []byte) ([]byte, error) {
	if out, ok := decodeCanonical(dst, token); ok {
		return out, nil
	}
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

// The standard base64 alphabet, and tables derived from it for the fast
// paths below. The fast paths exist because tokens are encoded and
// decoded on every request: encoding/base64 spends about as long on a
// 300-byte payload as AES-CBC does.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var (
	// pairOf holds the two characters of each 12-bit value, the first
	// in the low byte.
	pairOf [1 << 12]uint16
	// shifted[i] maps a character to its value placed as the i-th of
	// four in a 24-bit quantum, and any other byte to all ones.
	shifted [4][256]uint32
	// inTokenSet marks the bytes isBase64Byte accepts.
	inTokenSet [256]bool
)

// badQuantum is set in a decoded quantum that held a byte outside the
// alphabet.
const badQuantum = 1 << 31

func init() {
	for i := range pairOf {
		pairOf[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	for c := range 256 {
		inTokenSet[c] = isBase64Byte(byte(c))
		v := strings.IndexByte(alphabet, byte(c)) // -1 outside, '=' included
		for i := range shifted {
			shifted[i][c] = uint32(v) << (18 - 6*i)
			if v < 0 {
				shifted[i][c] = 0xffffffff
			}
		}
	}
}

// allBase64 reports whether every byte of b is one isBase64Byte accepts.
func allBase64(b []byte) bool {
	for _, c := range b {
		if !inTokenSet[c] {
			return false
		}
	}
	return true
}

// appendBase64 appends the standard padded base64 of src to dst. Its
// output is that of base64.StdEncoding.AppendEncode; it is about twice as
// fast because it looks characters up two at a time.
func appendBase64(dst, src []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(src))
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	for len(src) >= 8 && len(out) >= 8 { // 6 bytes to 8 characters
		x := binary.BigEndian.Uint64(src)
		binary.LittleEndian.PutUint64(out, uint64(pairOf[x>>52])|
			uint64(pairOf[x>>40&0xfff])<<16|uint64(pairOf[x>>28&0xfff])<<32|
			uint64(pairOf[x>>16&0xfff])<<48)
		src, out = src[6:], out[8:]
	}
	base64.StdEncoding.Encode(out, src)
	return dst[:len(dst)+n]
}

// decodeCanonical decodes a token that the strict rules accept as it
// stands: a non-empty multiple of four characters of the alphabet, with
// one or two '=' only at the end and zero trailing bits. It appends the
// bytes to dst and reports true, or reports false for anything else and
// leaves the diagnosis to the careful path of decodeToken. It may write
// into dst's spare capacity either way.
func decodeCanonical(dst, token []byte) ([]byte, bool) {
	if len(token) == 0 || len(token)%4 != 0 {
		return dst, false
	}
	pad := 0
	if token[len(token)-1] == '=' {
		pad = 1
		if token[len(token)-2] == '=' {
			pad = 2
		}
	}
	n := len(token)/4*3 - pad
	dst = slices.Grow(dst, n)
	out := dst[len(dst) : len(dst)+n]
	body := len(token) - 4
	if !decodeQuanta(out, token[:body]) || !decodeLast(out[body/4*3:], token[body:], pad) {
		return dst, false
	}
	return dst[:len(dst)+n], true
}

// decodeQuanta decodes whole unpadded quanta of src into out, two at a
// time where it can, and reports false on a byte outside the alphabet.
func decodeQuanta(out, src []byte) bool {
	for len(src) >= 8 && len(out) >= 8 {
		a, b := quantum(src[:4]), quantum(src[4:8])
		if (a|b)&badQuantum != 0 {
			return false
		}
		// Eight bytes are stored for six; the next store covers the
		// other two, as out holds at least eight here.
		binary.BigEndian.PutUint64(out, uint64(a)<<40|uint64(b)<<16)
		src, out = src[8:], out[6:]
	}
	for len(src) >= 4 && len(out) >= 3 {
		a := quantum(src[:4])
		if a&badQuantum != 0 {
			return false
		}
		out[0], out[1], out[2] = byte(a>>16), byte(a>>8), byte(a)
		src, out = src[4:], out[3:]
	}
	return len(src) == 0
}

// quantum returns the 24 bits four characters encode, with the bit
// badQuantum set if any of them is outside the alphabet.
func quantum(q []byte) uint32 {
	_ = q[3]
	return shifted[0][q[0]] | shifted[1][q[1]] | shifted[2][q[2]] | shifted[3][q[3]]
}

// decodeLast decodes the final quantum q, which ends in pad '='
// characters, into out. The bits the padding leaves unused must be zero.
func decodeLast(out, q []byte, pad int) bool {
	last := [4]byte{q[0], q[1], q[2], q[3]}
	for i := 4 - pad; i < 4; i++ {
		last[i] = 'A'
	}
	v := quantum(last[:])
	if v&badQuantum != 0 || v&(1<<(8*pad)-1) != 0 {
		return false
	}
	bytes := [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
	copy(out, bytes[:3-pad])
	return true
}

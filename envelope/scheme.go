package envelope

import "fmt"

// Scheme names a cipher scheme of PROTOCOL.md section 2.
type Scheme string

// The schemes. CBC is the default and what deployed clients use.
const (
	// CBC is AES-256-CBC with PKCS#7 padding; a token is IV[16] ‖ ciphertext.
	CBC Scheme = "aes-256-cbc"
	// GCM is AES-256-GCM without additional data; a token is
	// nonce[12] ‖ ciphertext ‖ tag[16].
	GCM Scheme = "aes-256-gcm"
)

// Block, nonce and tag sizes of the schemes.
const (
	blockSize    = 16
	cbcIVSize    = 16
	gcmNonceSize = 12
	gcmTagSize   = 16
)

// ParseScheme returns the scheme named s; "" means [CBC].
func ParseScheme(s string) (Scheme, error) {
	switch Scheme(s) {
	case "", CBC:
		return CBC, nil
	case GCM:
		return GCM, nil
	}
	return "", newError(KindScheme, "scheme", fmt.Sprintf("unknown scheme %q, want %s or %s", s, CBC, GCM))
}

// IVSize returns the size of the scheme's IV (CBC) or nonce (GCM).
func (s Scheme) IVSize() int {
	if s == GCM {
		return gcmNonceSize
	}
	return cbcIVSize
}

// minRaw is the shortest decoded token the scheme can produce: an IV and
// one padding block for CBC, a nonce and a tag for GCM.
func (s Scheme) minRaw() int {
	if s == GCM {
		return gcmNonceSize + gcmTagSize
	}
	return cbcIVSize + blockSize
}

// rawLen returns the decoded size of a token holding n plaintext bytes.
func (s Scheme) rawLen(n int) int {
	if s == GCM {
		return gcmNonceSize + n + gcmTagSize
	}
	return cbcIVSize + (n/blockSize+1)*blockSize
}

package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"sync"
	"time"
)

// A Codec seals and opens tokens with one key under one scheme. Create it
// with [New] once per key and share it: it is safe for concurrent use. The
// AES key schedule is expanded once; CBC modes and scratch buffers are
// pooled, so sealing and opening allocate only what they return.
type Codec struct {
	scheme Scheme
	block  cipher.Block
	aead   cipher.AEAD // GCM only
	ivs    io.Reader   // nil: crypto/rand
	now    func() time.Time
	pool   sync.Pool // *cbcState for CBC, *scratch for GCM
}

// cbcState is one goroutine's CBC machinery. The modes keep the expanded
// key, so they are reset with SetIV instead of being created per message.
type cbcState struct {
	enc, dec ivSetter
	buf      []byte // raw token bytes
	text     []byte // plaintext being built, such as header JSON
}

type ivSetter interface {
	cipher.BlockMode
	SetIV([]byte)
}

// An Option changes a [Codec] made by [New].
type Option func(*Codec)

// WithIVSource makes the codec read IVs and nonces from r instead of
// crypto/rand. It exists for known-answer vectors and reproducible tests;
// a fixed or predictable IV in production breaks the protocol's security.
func WithIVSource(r io.Reader) Option {
	return func(c *Codec) { c.ivs = r }
}

// WithClock sets the clock that stamps the epoch of header secrets
// built by [Codec.SealRequest] and [Codec.NewRequest]; the default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *Codec) { c.now = now }
}

// New returns a codec for key (32 bytes, see [ParseKey]) under scheme.
func New(scheme Scheme, key []byte, opts ...Option) (*Codec, error) {
	if scheme == "" {
		scheme = CBC
	}
	if scheme != CBC && scheme != GCM {
		_, err := ParseScheme(string(scheme))
		return nil, err
	}
	if len(key) != KeySize {
		return nil, newError(KindKey, "key", fmt.Sprintf("%d bytes, want %d", len(key), KeySize))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, newError(KindKey, "key", err.Error())
	}
	c := &Codec{scheme: scheme, block: block, now: time.Now}
	if scheme == GCM {
		if c.aead, err = cipher.NewGCM(block); err != nil {
			return nil, newError(KindKey, "key", err.Error())
		}
	}
	for _, o := range opts {
		o(c)
	}
	c.pool.New = c.newState
	return c, nil
}

func (c *Codec) newState() any {
	st := &cbcState{buf: make([]byte, 0, 1024), text: make([]byte, 0, 256)}
	if c.scheme == CBC {
		zero := make([]byte, cbcIVSize)
		st.enc = cipher.NewCBCEncrypter(c.block, zero).(ivSetter)
		st.dec = cipher.NewCBCDecrypter(c.block, zero).(ivSetter)
	}
	return st
}

// Scheme returns the codec's scheme.
func (c *Codec) Scheme() Scheme { return c.scheme }

// TokenLen returns the length of the token that sealing n plaintext bytes
// produces.
func (c *Codec) TokenLen(n int) int {
	return base64.StdEncoding.EncodedLen(c.scheme.rawLen(n))
}

// readIVs fills p from the codec's IV source.
func (c *Codec) readIVs(p []byte) error {
	if c.ivs == nil {
		rand.Read(p) // never fails; crashes the program if the OS cannot supply
		return nil
	}
	if _, err := io.ReadFull(c.ivs, p); err != nil {
		return fmt.Errorf("envelope: reading IV: %w", err)
	}
	return nil
}

// AppendSeal seals plaintext under a fresh IV or nonce and appends the
// token to dst.
func (c *Codec) AppendSeal(dst, plaintext []byte) ([]byte, error) {
	var iv [cbcIVSize]byte
	n := c.scheme.IVSize()
	if err := c.readIVs(iv[:n]); err != nil {
		return dst, err
	}
	return c.AppendSealIV(dst, iv[:n], plaintext)
}

// AppendSealIV seals plaintext under the given IV (CBC, 16 bytes) or nonce
// (GCM, 12 bytes) and appends the token to dst. The IV must be fresh for
// every message; this form exists for known-answer vectors.
func (c *Codec) AppendSealIV(dst, iv, plaintext []byte) ([]byte, error) {
	if len(iv) != c.scheme.IVSize() {
		return dst, newError(KindIV, "iv", fmt.Sprintf("%d bytes, want %d for %s",
			len(iv), c.scheme.IVSize(), c.scheme))
	}
	st := c.pool.Get().(*cbcState)
	dst = c.sealWith(st, dst, iv, plaintext)
	c.pool.Put(st)
	return dst, nil
}

// sealWith seals plaintext under iv using st's scratch and CBC mode and
// appends the token to dst. The IV size has been checked.
func (c *Codec) sealWith(st *cbcState, dst, iv, plaintext []byte) []byte {
	raw := append(st.buf[:0], iv...)
	if c.scheme == GCM {
		raw = c.aead.Seal(raw, iv, plaintext, nil)
	} else {
		raw = append(raw, plaintext...)
		pad := blockSize - len(plaintext)%blockSize
		for i := 0; i < pad; i++ {
			raw = append(raw, byte(pad))
		}
		st.enc.SetIV(iv)
		st.enc.CryptBlocks(raw[cbcIVSize:], raw[cbcIVSize:])
	}
	st.buf = raw
	return base64.StdEncoding.AppendEncode(dst, raw)
}

// Seal seals plaintext under a fresh IV and returns the token.
func (c *Codec) Seal(plaintext []byte) (string, error) {
	tok, err := c.AppendSeal(make([]byte, 0, c.TokenLen(len(plaintext))), plaintext)
	return string(tok), err
}

// AppendOpen decodes and decrypts token strictly and appends the plaintext
// to dst. Every failure is an [*Error] naming the broken rule; field names
// the token in it ("token" when empty).
func (c *Codec) AppendOpen(dst, token []byte) ([]byte, error) {
	st := c.pool.Get().(*cbcState)
	defer c.pool.Put(st)
	raw, err := decodeToken(st.buf[:0], token)
	if raw != nil {
		st.buf = raw[:0]
	}
	if err != nil {
		return dst, err
	}
	if err := c.checkLength(len(raw)); err != nil {
		return dst, err
	}
	if c.scheme == GCM {
		out, err := c.aead.Open(dst, raw[:gcmNonceSize], raw[gcmNonceSize:], nil)
		if err != nil {
			return dst, newError(KindTag, "token", "authentication failed")
		}
		return out, nil
	}
	body := raw[cbcIVSize:]
	st.dec.SetIV(raw[:cbcIVSize])
	st.dec.CryptBlocks(body, body)
	n, ok := unpad(body)
	if !ok {
		return dst, newError(KindPadding, "token", "PKCS#7 padding is not valid")
	}
	return append(dst, body[:n]...), nil
}

// Open opens token and returns its plaintext.
func (c *Codec) Open(token string) ([]byte, error) {
	return c.AppendOpen(nil, []byte(token))
}

func (c *Codec) checkLength(n int) error {
	min := c.scheme.minRaw()
	switch {
	case n < min:
		return newError(KindLength, "token", fmt.Sprintf("decodes to %d bytes, want at least %d for %s", n, min, c.scheme))
	case c.scheme == CBC && n%blockSize != 0:
		return newError(KindLength, "token", fmt.Sprintf("decodes to %d bytes, not a multiple of %d", n, blockSize))
	}
	return nil
}

// unpad checks PKCS#7 padding on the last block of b in time that does
// not depend on the padding's contents, and returns the plaintext length.
func unpad(b []byte) (int, bool) {
	last := b[len(b)-blockSize:]
	pad := int(last[blockSize-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, blockSize)
	for i := 0; i < blockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(blockSize-i, pad)
		same := subtle.ConstantTimeByteEq(last[i], byte(pad))
		good &= subtle.ConstantTimeSelect(inPad, same, 1)
	}
	return len(b) - pad, good == 1
}

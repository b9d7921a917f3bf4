package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
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
	ivs      [2 * cbcIVSize]byte
	random   randomBatch
	header   headerStart
}

// randomBatch hands out IVs and nonces from bytes read from crypto/rand
// in batches. One read of a batch costs little more than one read of 32
// bytes, and sealing a request needs only 32, so batching takes most of
// the CSPRNG's cost off the hot path. Each byte is handed out once; the
// bytes come from crypto/rand unchanged, so they are as fresh and as
// unpredictable as direct reads. What batching gives up: up to a batch of
// future IVs sits in memory before use, readable by whoever can already
// read the process memory (and with it the key).
type randomBatch struct {
	bytes [randomBatchSize]byte
	left  int // unused bytes at the end of bytes; none in a zero batch
}

// randomBatchSize serves 16 requests of two CBC IVs between reads.
const randomBatchSize = 512

// take returns the next n unused random bytes, n at most randomBatchSize.
func (r *randomBatch) take(n int) []byte {
	if r.left < n {
		rand.Read(r.bytes[:]) // never fails; crashes the program if the OS cannot supply
		r.left = len(r.bytes)
	}
	start := len(r.bytes) - r.left
	r.left -= n
	return r.bytes[start : start+n]
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
// built by [Codec.SealRequest] and [Codec.NewHTTPRequest]; the default is
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

// readIVs returns n bytes of IVs from the codec's IV source: a batch of
// crypto/rand bytes kept in st, or the reader given to [WithIVSource],
// read in one call into st's scratch.
func (c *Codec) readIVs(st *cbcState, n int) ([]byte, error) {
	if c.ivs == nil {
		return st.random.take(n), nil
	}
	p := st.ivs[:n]
	if _, err := io.ReadFull(c.ivs, p); err != nil {
		return nil, fmt.Errorf("envelope: reading IV: %w", err)
	}
	return p, nil
}

// AppendSeal seals plaintext under a fresh IV or nonce and appends the
// token to dst.
func (c *Codec) AppendSeal(dst, plaintext []byte) ([]byte, error) {
	st := c.pool.Get().(*cbcState)
	defer c.pool.Put(st)
	iv, err := c.readIVs(st, c.scheme.IVSize())
	if err != nil {
		return dst, err
	}
	return c.sealWith(st, dst, iv, plaintext), nil
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
	raw := slices.Grow(st.buf[:0], c.scheme.rawLen(len(plaintext)))
	raw = append(raw, iv...)
	if c.scheme == GCM {
		raw = c.aead.Seal(raw, iv, plaintext, nil)
	} else {
		raw = st.appendCBC(raw, iv, plaintext)
	}
	st.buf = raw
	return appendBase64(dst, raw)
}

// appendCBC appends the CBC encryption of plaintext with PKCS#7 padding
// under iv to raw, which has room for it. Whole blocks are encrypted
// straight from plaintext; only the last, padded block is built first.
func (st *cbcState) appendCBC(raw, iv, plaintext []byte) []byte {
	whole := len(plaintext) - len(plaintext)%blockSize
	start := len(raw)
	raw = raw[:start+whole+blockSize]
	st.enc.SetIV(iv)
	st.enc.CryptBlocks(raw[start:start+whole], plaintext[:whole])
	last := raw[start+whole:]
	rest := copy(last, plaintext[whole:])
	for i := rest; i < blockSize; i++ {
		last[i] = byte(blockSize - rest)
	}
	st.enc.CryptBlocks(last, last)
	return raw
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
	return c.openWith(st, dst, token)
}

// openWith is AppendOpen with st's scratch and CBC mode.
func (c *Codec) openWith(st *cbcState, dst, token []byte) ([]byte, error) {
	raw, err := decodeToken(st.buf[:0], token)
	if raw != nil {
		st.buf = raw[:0]
	}
	if err != nil {
		return dst, err
	}
	return c.openRaw(st, dst, raw)
}

// openRaw decrypts raw, a decoded token, and appends the plaintext to dst.
// raw is decrypted in place.
func (c *Codec) openRaw(st *cbcState, dst, raw []byte) ([]byte, error) {
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
		return newError(KindLength, "token",
			fmt.Sprintf("decodes to %d bytes, want at least %d for %s", n, min, c.scheme))
	case c.scheme == CBC && n%blockSize != 0:
		return newError(KindLength, "token",
			fmt.Sprintf("decodes to %d bytes, not a multiple of %d", n, blockSize))
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

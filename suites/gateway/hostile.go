package gateway

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/internal/target"
)

// Builders of hostile tokens and bodies. They use the standard library
// directly where the codec, rightly, cannot produce the defect.

// sealText seals plaintext for c with a fresh IV.
func sealText(c *envelope.Codec, plaintext []byte) string {
	tok, err := c.Seal(plaintext)
	if err != nil {
		panic("sealing: " + err.Error())
	}
	return tok
}

// randomCodec returns a codec for a fresh random key: a wrong key.
func randomCodec(scheme envelope.Scheme) *envelope.Codec {
	key := make([]byte, envelope.KeySize)
	rand.Read(key)
	c, _ := envelope.New(scheme, key)
	return c
}

// resealUntil seals plaintext until ok accepts the token (at most 200
// tries, each with a fresh IV) and returns the last token.
func resealUntil(c *envelope.Codec, plaintext []byte, ok func(string) bool) string {
	tok := sealText(c, plaintext)
	for i := 0; i < 200 && !ok(tok); i++ {
		tok = sealText(c, plaintext)
	}
	return tok
}

// urlSafe returns a token in the URL-safe alphabet that differs from the
// standard one.
func urlSafe(c *envelope.Codec, plaintext []byte) string {
	tok := resealUntil(c, plaintext, func(t string) bool { return strings.ContainsAny(t, "+/") })
	return strings.NewReplacer("+", "-", "/", "_").Replace(tok)
}

// unpadded returns a token with its '=' padding stripped. Only some
// plaintext lengths give a padded token, so trailing JSON white space is
// added until one does.
func unpadded(c *envelope.Codec, plaintext []byte) string {
	for extra := 0; extra < 48; extra++ {
		pt := append(bytes.Clone(plaintext), bytes.Repeat([]byte{' '}, extra)...)
		if tok := sealText(c, pt); strings.HasSuffix(tok, "=") {
			return strings.TrimRight(tok, "=")
		}
	}
	panic("no plaintext length gave a padded token")
}

// wrapped breaks a token with a line feed every 40 characters, as MIME
// encoders do.
func wrapped(tok string) string {
	var b strings.Builder
	for len(tok) > 40 {
		b.WriteString(tok[:40] + "\n")
		tok = tok[40:]
	}
	b.WriteString(tok)
	return b.String()
}

// truncated drops the last four characters (three bytes) of a token.
func truncated(tok string) string { return tok[:len(tok)-4] }

// badPadding returns a token that decrypts under key to a block whose
// PKCS#7 padding is wrong (CBC), or whose tag does not verify (GCM).
func badPadding(cl *target.Client, scheme envelope.Scheme) string {
	if scheme == envelope.GCM {
		raw, _ := base64.StdEncoding.DecodeString(sealText(cl.Codec, []byte(`{"amount":"1"}`)))
		raw[len(raw)-1] ^= 0x01
		return base64.StdEncoding.EncodeToString(raw)
	}
	block := append(bytes.Repeat([]byte{'x'}, 31), 0x00) // last byte 0: never valid
	return rawCBC(cl.Key, block)
}

// garbage returns a token with valid padding (or a valid tag) whose
// plaintext is not JSON: the other half of the padding-oracle pair.
func garbage(cl *target.Client) string {
	junk := make([]byte, 27)
	rand.Read(junk)
	junk[0] = 0xff // never the start of a JSON document
	return sealText(cl.Codec, junk)
}

// wrongLength returns standard base64 of a length no token can have.
func wrongLength(scheme envelope.Scheme) string {
	n := 16 + 21
	if scheme == envelope.GCM {
		n = 20
	}
	junk := make([]byte, n)
	rand.Read(junk)
	return base64.StdEncoding.EncodeToString(junk)
}

// ivOnly returns a token that holds only an IV.
func ivOnly(scheme envelope.Scheme) string {
	return base64.StdEncoding.EncodeToString(make([]byte, scheme.IVSize()))
}

// rawCBC encrypts whole blocks under key with a random IV, padding
// untouched.
func rawCBC(key, blocks []byte) string {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	out := make([]byte, 16+len(blocks))
	rand.Read(out[:16])
	cipher.NewCBCEncrypter(b, out[:16]).CryptBlocks(out[16:], blocks)
	return base64.StdEncoding.EncodeToString(out)
}

// bodyWith returns {"RequestData": v} with v marshalled as JSON (so a line
// feed in a token is escaped, and the body stays valid JSON).
func bodyWith(v any) []byte {
	b, err := json.Marshal(map[string]any{envelope.RequestDataMember: v})
	if err != nil {
		panic(err)
	}
	return b
}

// headerJSON returns the header plaintext for cl at epoch.
func headerJSON(cl *target.Client, epoch int64) []byte {
	return envelope.AppendHeaderJSON(nil, cl.Cred.ClientID, cl.Cred.ClientSecret, epoch)
}

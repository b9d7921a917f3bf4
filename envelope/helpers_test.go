package envelope_test

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
)

// rawCBCToken encrypts already padded (or deliberately mis-padded) blocks
// with the standard library directly and returns the token, so padding
// defects can be built without the codec under test.
func rawCBCToken(t testing.TB, key, iv, blocks []byte) string {
	t.Helper()
	require.Zero(t, len(blocks)%16, "blocks must be whole")
	b, err := aes.NewCipher(key)
	require.NoError(t, err)
	ct := make([]byte, len(blocks))
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(ct, blocks)
	return base64.StdEncoding.EncodeToString(append(append([]byte{}, iv...), ct...))
}

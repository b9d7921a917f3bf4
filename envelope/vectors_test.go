package envelope_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/vectors"
)

// The embedded vector files (Wycheproof, and gwcert's own written with
// Node's crypto module) run through the codec: every valid test seals to
// the exact token for its IV and opens to the exact plaintext, every
// invalid one is refused, with the kind its flag implies. Groups outside
// the protocol (other key sizes, other nonce sizes, additional data,
// padding switched off) are left out. The Ginkgo known-answer suite runs
// the same files with its own reporting; this is the plain unit view.
func TestBuiltinVectorsThroughCodec(t *testing.T) {
	files, err := vectors.Builtin()
	require.NoError(t, err)
	ran := map[string]int{}
	for _, f := range files {
		for _, g := range f.TestGroups {
			run := vectorRunner(g)
			if run == nil {
				continue
			}
			for _, tc := range g.Tests {
				if tc.Result == vectors.Acceptable || !inProtocol(tc) {
					continue
				}
				t.Run(fmt.Sprintf("%s/%d", f.Name, tc.TcID), func(t *testing.T) { run(t, g, tc) })
				ran[g.Type]++
			}
		}
	}
	t.Logf("vectors run per group type: %v", ran)
	for _, typ := range []string{"IndCpaTest", "AeadTest", "TokenTest", "HeaderSecretsTest",
		"RequestTest", "ResponseTest"} {
		assert.Positive(t, ran[typ], "no %s vector ran", typ)
	}
}

type vectorFunc func(*testing.T, vectors.Group, vectors.Test)

func vectorRunner(g vectors.Group) vectorFunc {
	switch g.Type {
	case "IndCpaTest":
		if g.KeySize == 256 && g.IVSize == 128 {
			return runCBCVector
		}
	case "AeadTest":
		if g.KeySize == 256 && g.IVSize == 96 && g.TagSize == 128 {
			return runGCMVector
		}
	case "TokenTest":
		return runTokenVector
	case "HeaderSecretsTest":
		return runHeaderVector
	case "RequestTest":
		return runRequestVector
	case "ResponseTest":
		return runResponseVector
	}
	return nil
}

// inProtocol leaves out tests the protocol cannot express: additional
// data for GCM, and CBC with padding switched off.
func inProtocol(tc vectors.Test) bool {
	return tc.AAD == "" && !tc.HasFlag("KtvNoPadding")
}

// assertRefused checks an invalid test's error and, where a flag names
// the cause, its kind.
func assertRefused(t *testing.T, err error, scheme envelope.Scheme, tc vectors.Test) {
	t.Helper()
	require.Error(t, err, "invalid vector accepted: %s", tc.Comment)
	if want := tc.ExpectedError(string(scheme)); want != "" {
		assert.Equal(t, envelope.Kind(want), envelope.KindOf(err), "flags %v: %v", tc.Flags, err)
	}
}

func vhex(t *testing.T, s, field string) []byte {
	t.Helper()
	b, err := vectors.FromHex(s, field)
	require.NoError(t, err)
	return b
}

func vectorCodec(t *testing.T, scheme envelope.Scheme, tc vectors.Test,
	opts ...envelope.Option) *envelope.Codec {
	t.Helper()
	return newCodec(t, scheme, vhex(t, tc.Key, "key"), opts...)
}

// runSealOpen checks a token against its IV and plaintext.
func runSealOpen(t *testing.T, c *envelope.Codec, iv, msg []byte, token string, tc vectors.Test) {
	t.Helper()
	if tc.Result == vectors.Invalid {
		_, err := c.Open(token)
		assertRefused(t, err, c.Scheme(), tc)
		return
	}
	sealed, err := c.AppendSealIV(nil, iv, msg)
	require.NoError(t, err)
	assert.Equal(t, token, string(sealed), "seal: %s", tc.Comment)
	got, err := c.Open(token)
	require.NoError(t, err, tc.Comment)
	assert.Equal(t, hex.EncodeToString(msg), hex.EncodeToString(got), "open: %s", tc.Comment)
}

func runCBCVector(t *testing.T, _ vectors.Group, tc vectors.Test) {
	iv, ct := vhex(t, tc.IV, "iv"), vhex(t, tc.CT, "ct")
	token := base64.StdEncoding.EncodeToString(append(bytes.Clone(iv), ct...))
	runSealOpen(t, vectorCodec(t, envelope.CBC, tc), iv, vhex(t, tc.Msg, "msg"), token, tc)
}

func runGCMVector(t *testing.T, _ vectors.Group, tc vectors.Test) {
	iv := vhex(t, tc.IV, "iv")
	raw := append(append(bytes.Clone(iv), vhex(t, tc.CT, "ct")...), vhex(t, tc.Tag, "tag")...)
	token := base64.StdEncoding.EncodeToString(raw)
	runSealOpen(t, vectorCodec(t, envelope.GCM, tc), iv, vhex(t, tc.Msg, "msg"), token, tc)
}

// runTokenVector takes the IV of a valid token from the token itself.
func runTokenVector(t *testing.T, g vectors.Group, tc vectors.Test) {
	c := vectorCodec(t, envelope.Scheme(g.Scheme), tc)
	var iv []byte
	if tc.Result == vectors.Valid {
		iv = rawToken(t, []byte(tc.Token))[:c.Scheme().IVSize()]
	}
	runSealOpen(t, c, iv, vhex(t, tc.Msg, "msg"), tc.Token, tc)
}

func runHeaderVector(t *testing.T, g vectors.Group, tc vectors.Test) {
	c := vectorCodec(t, envelope.Scheme(g.Scheme), tc)
	pt, err := c.Open(tc.Token)
	require.NoError(t, err, "the token opens in every header test")
	require.Equal(t, tc.Header, string(pt))

	h, err := c.OpenHeaderSecrets([]byte(tc.Token))
	if tc.Result == vectors.Invalid {
		assertRefused(t, err, c.Scheme(), tc)
		return
	}
	require.NoError(t, err)
	assert.Equal(t, envelope.HeaderSecrets{ClientID: tc.ClientID, ClientSecret: tc.ClientSecret,
		Epoch: tc.Epoch}, h)

	epoch, err := strconv.ParseInt(tc.Epoch, 10, 64)
	require.NoError(t, err)
	header := envelope.AppendHeaderJSON(nil, tc.ClientID, tc.ClientSecret, epoch)
	assert.Equal(t, tc.Header, string(header), "header JSON as Node wrote it")
	sealed, err := c.AppendSealIV(nil, vhex(t, tc.IV, "iv"), header)
	require.NoError(t, err)
	assert.Equal(t, tc.Token, string(sealed))
}

func runRequestVector(t *testing.T, g vectors.Group, tc vectors.Test) {
	require.Equal(t, vectors.Valid, tc.Result, "request vectors are all valid")
	ivs := append(vhex(t, tc.HeaderIV, "headerIv"), vhex(t, tc.IV, "iv")...)
	c := vectorCodec(t, envelope.Scheme(g.Scheme), tc, envelope.WithIVSource(bytes.NewReader(ivs)))
	epoch, err := strconv.ParseInt(tc.Epoch, 10, 64)
	require.NoError(t, err)

	var r envelope.Request
	cred := envelope.Credentials{ClientID: tc.ClientID, ClientSecret: tc.ClientSecret}
	require.NoError(t, c.SealRequestAt(&r, cred, epoch, []byte(tc.Payload)))
	assert.Equal(t, tc.HeaderSecrets, string(r.HeaderSecrets))
	assert.Equal(t, tc.Body, string(r.Body))
}

func runResponseVector(t *testing.T, g vectors.Group, tc vectors.Test) {
	c := vectorCodec(t, envelope.Scheme(g.Scheme), tc)
	resp, err := c.OpenResponse(tc.Status, []byte(tc.Body))
	if tc.Result == vectors.Invalid {
		assertRefused(t, err, c.Scheme(), tc)
		return
	}
	require.NoError(t, err, tc.Comment)
	assert.Equal(t, tc.Status, resp.Status)
	assert.Equal(t, tc.Encrypted, resp.Encrypted)
	assert.Equal(t, tc.Response, string(resp.JSON))
}

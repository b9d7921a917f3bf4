package envelope_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
)

// The benchmarks come in pairs: a benchmark of the codec's hot path and a
// baseline that runs the bare standard-library cipher over exactly the
// bytes the hot path encrypts or decrypts. bench/ratio runs each pair side
// by side and reports candidate/baseline. Every benchmark of a pair sets
// its bytes to the same plaintext size, so MB/s compare too.
//
// The tests at the end hold the hot path's own base64, CSPRNG batching,
// header reuse and JSON check to the standard library, so that speed
// never changes what the codec produces or accepts.

// benchKey is a fixed AES-256 key; benchmarks need no secrecy.
var benchKey = []byte("0123456789abcdef0123456789abcdef")

// benchCred has the sizes of real credentials: a 52-character base32
// pass key, a 20-character client id and a 32-character secret.
var benchCred = envelope.Credentials{
	PassKey:      "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW",
	ClientID:     "gwcert-bench-client1",
	ClientSecret: "Q2xpZW50U2VjcmV0Rm9yQmVuY2htYXJr",
}

// benchEpoch has the ten digits every epoch has until the year 2286.
const benchEpoch = 1727954878

// benchPayloadSize is the size of the request payload and of the answer.
const benchPayloadSize = 300

// benchJSON returns a JSON document of exactly n bytes shaped like a
// payout request: short members, a nested object, a number, a boolean,
// and remarks whose length makes up the size.
func benchJSON(tb testing.TB, n int) []byte {
	tb.Helper()
	head := `{"merchantId":"M-100234","orderId":"ORD-2024-000123","amount":"1250.00",` +
		`"currency":"INR","mode":"IMPS","beneficiary":{"name":"Asha Rao",` +
		`"account":"000123456789","ifsc":"HDFC0001234","mobile":"9876543210"},` +
		`"attempt":1,"urgent":false,"remarks":"`
	tail := `"}`
	words := "invoice 2024-117 settlement, october services "
	fill := n - len(head) - len(tail)
	if fill < 0 {
		tb.Fatalf("benchJSON: %d bytes is shorter than the fixed members", n)
	}
	doc := []byte(head + strings.Repeat(words, fill/len(words)+1)[:fill] + tail)
	if !json.Valid(doc) {
		tb.Fatal("benchJSON: built a document that is not JSON")
	}
	return doc
}

func benchCodec(tb testing.TB, scheme envelope.Scheme, opts ...envelope.Option) *envelope.Codec {
	tb.Helper()
	c, err := envelope.New(scheme, benchKey, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// benchHeaderJSON is the header_secrets plaintext of benchCred.
func benchHeaderJSON() []byte {
	return envelope.AppendHeaderJSON(nil, benchCred.ClientID, benchCred.ClientSecret, benchEpoch)
}

// benchPadded returns the PKCS#7-padded size of n bytes.
func benchPadded(n int) int { return (n/16 + 1) * 16 }

// benchIVSetter is the reset method of the standard library's CBC modes.
type benchIVSetter interface {
	cipher.BlockMode
	SetIV([]byte)
}

// benchCBC is the baseline's prepared cipher: the key schedule expanded
// once, one mode reused by resetting its IV, and preallocated buffers.
type benchCBC struct {
	mode     benchIVSetter
	iv       []byte
	src, dst []byte
}

func newBenchCBC(tb testing.TB, encrypt bool, size int) *benchCBC {
	tb.Helper()
	block, err := aes.NewCipher(benchKey)
	if err != nil {
		tb.Fatal(err)
	}
	r := &benchCBC{iv: make([]byte, 16), src: make([]byte, size), dst: make([]byte, size)}
	if encrypt {
		r.mode = cipher.NewCBCEncrypter(block, r.iv).(benchIVSetter)
	} else {
		r.mode = cipher.NewCBCDecrypter(block, r.iv).(benchIVSetter)
	}
	return r
}

// crypt runs one message of n bytes starting at off through the mode.
func (r *benchCBC) crypt(off, n int) {
	r.mode.SetIV(r.iv)
	r.mode.CryptBlocks(r.dst[off:off+n], r.src[off:off+n])
}

// BenchmarkSealRequest seals header secrets and a 300-byte payload into
// one reused Request, as a load generator does per goroutine.
func BenchmarkSealRequest(b *testing.B) {
	benchSealRequest(b, envelope.CBC, false)
}

// BenchmarkSealRequestFresh is BenchmarkSealRequest with a new Request
// every time, so its allocations are those of a one-off caller.
func BenchmarkSealRequestFresh(b *testing.B) {
	benchSealRequest(b, envelope.CBC, true)
}

// BenchmarkSealRequestGCM is BenchmarkSealRequest under GCM.
func BenchmarkSealRequestGCM(b *testing.B) {
	benchSealRequest(b, envelope.GCM, false)
}

func benchSealRequest(b *testing.B, scheme envelope.Scheme, fresh bool) {
	c := benchCodec(b, scheme)
	payload := benchJSON(b, benchPayloadSize)
	var req envelope.Request
	b.SetBytes(int64(len(benchHeaderJSON()) + len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if fresh {
			req = envelope.Request{}
		}
		if err := c.SealRequest(&req, benchCred, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawCBCSeal is the baseline of BenchmarkSealRequest: CBC
// encryption of the padded header JSON and the padded payload, as two
// messages, with a prepared cipher. It draws no random IVs, builds no
// JSON and encodes no base64: it is the raw cipher alone.
func BenchmarkRawCBCSeal(b *testing.B) {
	hdr, pay := benchPadded(len(benchHeaderJSON())), benchPadded(benchPayloadSize)
	r := newBenchCBC(b, true, hdr+pay)
	b.SetBytes(int64(len(benchHeaderJSON()) + benchPayloadSize))
	b.ReportAllocs()
	for b.Loop() {
		r.crypt(0, hdr)
		r.crypt(hdr, pay)
	}
}

// BenchmarkRawGCMSeal is the baseline of BenchmarkSealRequestGCM: two GCM
// seals into a preallocated buffer. It reuses one nonce, which is only
// harmless because nothing here is secret or kept; the codec never does.
func BenchmarkRawGCMSeal(b *testing.B) {
	block, err := aes.NewCipher(benchKey)
	if err != nil {
		b.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		b.Fatal(err)
	}
	hdr, payload := benchHeaderJSON(), benchJSON(b, benchPayloadSize)
	nonce := make([]byte, aead.NonceSize())
	out := make([]byte, 0, len(hdr)+len(payload)+2*aead.Overhead())
	b.SetBytes(int64(len(hdr) + len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		out = aead.Seal(out[:0], nonce, hdr, nil)
		out = aead.Seal(out, nonce, payload, nil)
	}
}

// BenchmarkSealRequestParallel seals from every core at once, one
// Request per goroutine, to show that the codec's pools scale.
func BenchmarkSealRequestParallel(b *testing.B) {
	c := benchCodec(b, envelope.CBC)
	payload := benchJSON(b, benchPayloadSize)
	b.SetBytes(int64(len(benchHeaderJSON()) + len(payload)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var req envelope.Request
		for pb.Next() {
			if err := c.SealRequest(&req, benchCred, payload); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRawCBCSealParallel is the baseline of
// BenchmarkSealRequestParallel: each goroutine has its own prepared
// cipher, which is the best sharing can do.
func BenchmarkRawCBCSealParallel(b *testing.B) {
	hdr, pay := benchPadded(len(benchHeaderJSON())), benchPadded(benchPayloadSize)
	b.SetBytes(int64(len(benchHeaderJSON()) + benchPayloadSize))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := newBenchCBC(b, true, hdr+pay)
		for pb.Next() {
			r.crypt(0, hdr)
			r.crypt(hdr, pay)
		}
	})
}

// BenchmarkOpenResponse opens a 2xx answer {"ResponseData":"..."} that
// holds a 300-byte JSON document: member lookup, strict base64, CBC,
// padding check and the JSON validity check.
func BenchmarkOpenResponse(b *testing.B) {
	c := benchCodec(b, envelope.CBC)
	answer := benchJSON(b, benchPayloadSize)
	body, err := c.AppendSealResponse(nil, answer)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(answer)))
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.OpenResponse(200, body)
		if err != nil || len(resp.JSON) != len(answer) {
			b.Fatalf("opened %d bytes, want %d: %v", len(resp.JSON), len(answer), err)
		}
	}
}

// BenchmarkRawCBCOpen is the baseline of BenchmarkOpenResponse: CBC
// decryption of the padded answer with a prepared cipher, nothing else.
func BenchmarkRawCBCOpen(b *testing.B) {
	size := benchPadded(benchPayloadSize)
	r := newBenchCBC(b, false, size)
	b.SetBytes(benchPayloadSize)
	b.ReportAllocs()
	for b.Loop() {
		r.crypt(0, size)
	}
}

// stdToken seals pt under iv with the standard library alone, as the
// protocol lays a token out: base64(IV ‖ CBC(PKCS#7(pt))) or
// base64(nonce ‖ GCM(pt)).
func stdToken(t testing.TB, scheme envelope.Scheme, iv, pt []byte) string {
	t.Helper()
	block, err := aes.NewCipher(benchKey)
	require.NoError(t, err)
	raw := append([]byte{}, iv...)
	if scheme == envelope.GCM {
		aead, err := cipher.NewGCM(block)
		require.NoError(t, err)
		raw = aead.Seal(raw, iv, pt, nil)
	} else {
		pad := 16 - len(pt)%16
		body := append(append([]byte{}, pt...), bytes.Repeat([]byte{byte(pad)}, pad)...)
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(body, body)
		raw = append(raw, body...)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// Sealed requests must be byte for byte what the standard library
// produces, whatever the payload length (every base64 tail, every pad)
// and as credentials change between calls on one codec, which is what
// invalidates the reused start of the header JSON.
func TestSealRequestMatchesStandardLibrary(t *testing.T) {
	creds := []envelope.Credentials{
		benchCred,
		{ClientID: benchCred.ClientID, ClientSecret: benchCred.ClientSecret + "x"},
		{ClientID: `id "quoted" \ back`, ClientSecret: "tab\tnew\nline\x01 é \xff"},
		benchCred,
		{ClientID: "x" + benchCred.ClientID, ClientSecret: benchCred.ClientSecret},
		{ClientID: "", ClientSecret: ""},
	}
	for _, scheme := range []envelope.Scheme{envelope.CBC, envelope.GCM} {
		ivs := make([]byte, 4096)
		for i := range ivs {
			ivs[i] = byte(i*7 + i>>8)
		}
		c := benchCodec(t, scheme, envelope.WithIVSource(bytes.NewReader(ivs)))
		n := scheme.IVSize()
		var req envelope.Request
		for i, cred := range creds {
			for _, size := range []int{0, 1, 2, 3, 15, 16, 17, 47, 48, 49, 300} {
				payload := bytes.Repeat([]byte{byte('a' + i)}, size)
				epoch := int64(benchEpoch + i*size)
				require.NoError(t, c.SealRequestAt(&req, cred, epoch, payload))
				hdr := envelope.AppendHeaderJSON(nil, cred.ClientID, cred.ClientSecret, epoch)
				assert.Equal(t, stdToken(t, scheme, ivs[:n], hdr), string(req.HeaderSecrets),
					"%s header, credentials %d, payload %d", scheme, i, size)
				body := `{"RequestData":"` + stdToken(t, scheme, ivs[n:2*n], payload) + `"}`
				assert.Equal(t, body, string(req.Body), "%s body, payload %d", scheme, size)
				ivs = ivs[2*n:]
			}
		}
	}
}

// Batched CSPRNG bytes must never repeat an IV: across batch refills,
// between the header and the body of one request, and between
// goroutines sharing a codec.
func TestSealRequestIVsNeverRepeat(t *testing.T) {
	c := benchCodec(t, envelope.CBC)
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var req envelope.Request
			for i := 0; i < 150; i++ {
				if err := c.SealRequest(&req, benchCred, []byte(`{}`)); err != nil {
					t.Error(err)
					return
				}
				body := bytes.TrimSuffix(bytes.TrimPrefix(req.Body, []byte(`{"RequestData":"`)), []byte(`"}`))
				mu.Lock()
				for _, tok := range [][]byte{req.HeaderSecrets, body} {
					raw, err := base64.StdEncoding.DecodeString(string(tok))
					if err != nil || len(raw) < 16 {
						t.Errorf("token %q does not decode: %v", tok, err)
					} else if iv := string(raw[:16]); seen[iv] || iv == string(make([]byte, 16)) {
						t.Errorf("IV %x repeated or zero", raw[:16])
					} else {
						seen[iv] = true
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 4*150*2)
}

// quickJSONCorpus holds documents at the edges of the JSON grammar, for
// the JSON check of OpenResponse.
var quickJSONCorpus = []string{
	``, ` `, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `1e5`, `1E+5`, `1e`, `1e-`, `-1.5e-10`, `.5`,
	`+1`, `true`, `false`, `null`, `tru`, `nul`, `truex`, `"`, `""`, `"a"`, `"\u00e9"`,
	`"\u00G9"`, `"\x"`, `"\/"`, `"a\"b"`, "\"\x01\"", "\"\x7f\"", "\"\xff\"", `"é"`, `[]`,
	`{}`, `[ ]`, `{ }`, `[1,]`, `[,1]`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{:1}`,
	`{"a":1 "b":2}`, `[1 2]`, `{"a":[1,{"b":null}]}`, ` {"a" : [ true , false ] } `,
	"\t[\n1\r]\n", "\v[]", "[]\f", `[[[]]]`, `[[[]]`, `[]]`, `{}}`, `{"a":1}x`, `[1]]`,
	`["\\"]`, `["\\\""]`, `"\ud800"`, `[-]`, `[-01]`, `[0.e1]`, `{"a":-0.0e-0}`,
	"[\"a\tb\"]", `{"":""}`, `{"a":1,"a":2}`, `[{},[]]`, `{"x":[]}`, `"0123456\"89abcdef"`,
	`"01234567\\89abcdef"`, "\"0123456789\x1fabcdef\"", "\"0123456789\u00e9bcdef\"",
	`"abcdefghijklmno`, `"abcdefghijklmnop\`, `[1,"a":2]`, `["a":1]`, `{"a":1,2}`,
	`{"a":1,"b"}`, `x`, `[x]`, `{"a":x}`, `[nulx]`, `[True]`, `'a'`, `{'a':1}`, `[1;2]`,
}

// The JSON check of OpenResponse must agree with json.Valid on every
// document: the corpus, nesting around the quick validator's depth limit,
// and random edits of a realistic answer.
func TestOpenResponseJSONCheckAgreesWithEncodingJSON(t *testing.T) {
	c := benchCodec(t, envelope.CBC)
	check := func(doc []byte) {
		body, err := c.AppendSealResponse(nil, doc)
		require.NoError(t, err)
		resp, err := c.OpenResponse(200, body)
		if json.Valid(doc) {
			require.NoError(t, err, "valid JSON %q refused", doc)
			require.Equal(t, doc, resp.JSON)
		} else {
			require.Equal(t, envelope.KindJSON, envelope.KindOf(err), "invalid JSON %q: %v", doc, err)
		}
	}
	for _, doc := range quickJSONCorpus {
		check([]byte(doc))
	}
	for depth := 60; depth <= 68; depth++ {
		open, shut := strings.Repeat(`[{"a":`, depth), strings.Repeat(`}]`, depth)
		check([]byte(open + `1` + shut))
		check([]byte(open + `1` + shut[1:]))
	}
	check([]byte(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)))
	// Objects outside 64 arrays, closed right and closed wrong: only a
	// validator that tracks every level tells the two apart.
	for outer := 1; outer <= 8; outer++ {
		arrays := strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64)
		check([]byte(strings.Repeat(`{"a":`, outer) + arrays + strings.Repeat("}", outer)))
		check([]byte(strings.Repeat(`{"a":`, outer) + arrays + strings.Repeat("]", outer)))
	}

	r := rand.New(rand.NewPCG(1, 2))
	base := benchJSON(t, benchPayloadSize)
	alphabet := []byte("{}[]\":,0123456789.eE+-tfnrulxT' \\/ab\t\n\x01\x80")
	for i := 0; i < 20000; i++ {
		doc := bytes.Clone(base)
		for edits := 1 + r.IntN(3); edits > 0; edits-- {
			p := r.IntN(len(doc))
			switch r.IntN(3) {
			case 0:
				doc[p] = alphabet[r.IntN(len(alphabet))]
			case 1:
				doc = append(doc[:p:p], append([]byte{alphabet[r.IntN(len(alphabet))]}, doc[p:]...)...)
			default:
				doc = append(doc[:p:p], doc[p+1:]...)
			}
		}
		check(doc)
	}
}

// openReference opens a CBC token with the standard library alone,
// following PROTOCOL.md section 2, and names the rule it breaks.
func openReference(t *testing.T, tok string) ([]byte, envelope.Kind) {
	t.Helper()
	if tok == "" {
		return nil, envelope.KindLength
	}
	// Go's decoder skips line breaks; the protocol refuses them.
	raw, err := base64.StdEncoding.Strict().DecodeString(tok)
	if err != nil || strings.ContainsAny(tok, "\r\n") {
		return nil, envelope.KindBase64
	}
	if len(raw) < 32 || len(raw)%16 != 0 {
		return nil, envelope.KindLength
	}
	block, err := aes.NewCipher(benchKey)
	require.NoError(t, err)
	body := raw[16:]
	cipher.NewCBCDecrypter(block, raw[:16]).CryptBlocks(body, body)
	pad := int(body[len(body)-1])
	if pad < 1 || pad > 16 {
		return nil, envelope.KindPadding
	}
	if !bytes.Equal(body[len(body)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, envelope.KindPadding
	}
	return body[:len(body)-pad], ""
}

// Opening must decode tokens exactly as strict standard base64 does:
// every byte value at the start, the middle and each padding position,
// and tokens cut short or lengthened.
func TestOpenTokenEditsAgreeWithStandardLibrary(t *testing.T) {
	c := benchCodec(t, envelope.CBC)
	for _, size := range []int{16, 17, 18} { // tokens ending "", "==" and "="
		good := stdToken(t, envelope.CBC, []byte("fixed-iv-16bytes"), bytes.Repeat([]byte{'j'}, size))
		var edits []string
		for _, p := range []int{0, 1, 30, len(good) - 3, len(good) - 2, len(good) - 1} {
			for b := 0; b < 256; b++ {
				edits = append(edits, good[:p]+string([]byte{byte(b)})+good[p+1:])
			}
		}
		for cut := 1; cut <= 8; cut++ {
			edits = append(edits, good[:len(good)-cut], good+strings.Repeat("A", cut))
		}
		for _, tok := range edits {
			want, kind := openReference(t, tok)
			got, err := c.Open(tok)
			require.Equal(t, kind, envelope.KindOf(err), "token %q: %v", tok, err)
			require.Equal(t, string(want), string(got), "token %q", tok)
		}
	}
}

// OpenResponse reads the compact body at once and any other form of the
// same document through encoding/json; both must give the same answer,
// and a token that fails to decode must fail the same way in each form.
func TestOpenResponseBodyFormsAgree(t *testing.T) {
	c := benchCodec(t, envelope.CBC)
	answer := benchJSON(t, benchPayloadSize)
	var tok string
	for iv := byte(0); !strings.Contains(tok, "/"); iv++ {
		tok = stdToken(t, envelope.CBC, bytes.Repeat([]byte{iv}, 16), answer)
	}
	forms := func(tok string) []string {
		return []string{
			`{"ResponseData":"` + tok + `"}`,
			" \n{\"ResponseData\":\"" + tok + "\"}\r\n",
			`{ "ResponseData" : "` + tok + `" }`,
			`{"ResponseData":"` + strings.ReplaceAll(tok, "/", `\/`) + `"}`,
			`{"status":"ok","ResponseData":"` + tok + `"}`,
		}
	}
	for _, body := range forms(tok) {
		resp, err := c.OpenResponse(200, []byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, answer, resp.JSON, body)
	}
	require.True(t, strings.HasSuffix(tok, "=") && !strings.HasSuffix(tok, "=="),
		"premise: 320 raw bytes end in one padding character")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	lowBitSet := alphabet[strings.IndexByte(alphabet, tok[len(tok)-2])|1]
	notJSON := stdToken(t, envelope.CBC, make([]byte, 16), []byte("not json"))
	broken := map[string]envelope.Kind{
		strings.TrimRight(tok, "="):                envelope.KindBase64, // padding missing
		tok[:len(tok)-2] + string(lowBitSet) + "=": envelope.KindBase64, // trailing bits
		tok[:8] + "====" + tok[12:]:                envelope.KindBase64, // padding inside
		tok[:len(tok)-8]:                           envelope.KindLength, // 315 bytes
		notJSON:                                    envelope.KindJSON,
	}
	for bad, kind := range broken {
		for _, body := range forms(bad) {
			_, err := c.OpenResponse(200, []byte(body))
			assert.Equal(t, kind, envelope.KindOf(err), "%s: %v", body, err)
		}
	}
}

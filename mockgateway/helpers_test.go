package mockgateway_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/internal/syncbuf"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// The expected failure bodies, written out as PROTOCOL.md section 6 gives
// them.
const (
	wantPassKey     = `{"status":"FAILURE","statusCode":401,"statusDesc":"invalid pass_key"}`
	wantMissing     = `{"status":"FAILURE","statusCode":401,"statusDesc":"missing header_secrets"}`
	wantHeader      = `{"status":"FAILURE","statusCode":401,"statusDesc":"invalid header_secrets"}`
	wantCredentials = `{"status":"FAILURE","statusCode":401,"statusDesc":"invalid client credentials"}`
	wantEpoch       = `{"status":"FAILURE","statusCode":401,"statusDesc":"epoch timeout"}`
	wantReplay      = `{"status":"FAILURE","statusCode":401,"statusDesc":"replayed header_secrets"}`
	wantBody        = `{"status":"FAILURE","statusCode":400,"statusDesc":"invalid request body"}`
	wantRequestData = `{"status":"FAILURE","statusCode":400,"statusDesc":"invalid RequestData"}`
	wantRoute       = `{"status":"FAILURE","statusCode":404,"statusDesc":"unknown route"}`
	wantInjected    = `{"status":"FAILURE","statusCode":503,"statusDesc":"injected fault"}`
	wantInternal    = `{"status":"FAILURE","statusCode":500,"statusDesc":"internal error"}`
)

// baseTime is the fixture clock's start: a whole second plus a half, so
// that epochs are judged in whole seconds.
var baseTime = time.Unix(1727954878, 500_000_000)

const echoPayload = `{"amount":"10.00","currency":"INR"}`

// party is one client as a test drives it.
type party struct {
	name  string
	cred  envelope.Credentials
	key   []byte
	codec *envelope.Codec
}

func mockParty(t testing.TB, name string, scheme envelope.Scheme) party {
	t.Helper()
	c := profiles.MockCredentials[name]
	key, err := base64.StdEncoding.DecodeString(c.Key)
	require.NoError(t, err)
	codec, err := envelope.New(scheme, key)
	require.NoError(t, err)
	cred := envelope.Credentials{PassKey: c.PassKey, ClientID: c.ClientID,
		ClientSecret: c.ClientSecret}
	return party{name: name, key: key, codec: codec, cred: cred}
}

func (p party) client() mockgateway.Client {
	return mockgateway.Client{Name: p.name, PassKey: p.cred.PassKey, ClientID: p.cred.ClientID,
		ClientSecret: p.cred.ClientSecret, Key: p.key}
}

// fixture is a gateway behind a real HTTP server on 127.0.0.1, with a
// clock the test moves and logs kept in a buffer.
type fixture struct {
	t      testing.TB
	gw     *mockgateway.Gateway
	srv    *httptest.Server
	now    atomic.Int64 // Unix nanoseconds of the gateway's clock
	a, b   party        // primary and peer
	logs   *syncbuf.Buffer
	client *http.Client
}

func newFixture(t testing.TB, change ...func(*mockgateway.Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, logs: &syncbuf.Buffer{}}
	f.now.Store(baseTime.UnixNano())
	cfg := mockgateway.Config{
		Clock:  func() time.Time { return time.Unix(0, f.now.Load()) },
		Logger: slog.New(slog.NewJSONHandler(f.logs, nil)),
	}
	for _, fn := range change {
		fn(&cfg)
	}
	scheme := cmpScheme(cfg.Scheme)
	f.a = mockParty(t, profiles.Primary, scheme)
	f.b = mockParty(t, profiles.Peer, scheme)
	if cfg.Clients == nil {
		cfg.Clients = []mockgateway.Client{f.a.client(), f.b.client()}
	}
	gw, err := mockgateway.New(cfg)
	require.NoError(t, err)
	f.gw = gw
	f.srv = httptest.NewServer(gw)
	t.Cleanup(f.srv.Close)
	f.client = f.srv.Client()
	return f
}

func cmpScheme(s envelope.Scheme) envelope.Scheme {
	if s == "" {
		return envelope.CBC
	}
	return s
}

// epoch is the clock's current Unix second.
func (f *fixture) epoch() int64 { return time.Unix(0, f.now.Load()).Unix() }

// advance moves the gateway's clock.
func (f *fixture) advance(d time.Duration) { f.now.Add(int64(d)) }

// reply is an answer as the client got it.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends req and reads the whole answer.
func (f *fixture) do(req *http.Request) reply {
	f.t.Helper()
	got, err := f.try(req)
	require.NoError(f.t, err)
	return got
}

// try is do for goroutines other than the test's: it returns the error.
func (f *fixture) try(req *http.Request) (reply, error) {
	resp, err := f.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}, err
}

// sealed builds a request the way a correct client does, with p's codec
// and credentials at the given epoch.
func (f *fixture) sealed(p party, path string, epoch int64, payload string) *http.Request {
	f.t.Helper()
	var r envelope.Request
	require.NoError(f.t, p.codec.SealRequestAt(&r, p.cred, epoch, []byte(payload)))
	return f.raw(http.MethodPost, path, wire{passKey: p.cred.PassKey,
		secrets: string(r.HeaderSecrets)}, string(r.Body))
}

// good is a correct echo call of the primary client at the current epoch.
func (f *fixture) good() *http.Request {
	return f.sealed(f.a, mockgateway.EchoPath, f.epoch(), echoPayload)
}

// wire holds the protocol headers of a hand-built request; an empty
// field leaves its header out.
type wire struct {
	passKey, secrets string
}

// raw builds a request by hand. Header names are written in lower case,
// as clients of the gateway send them.
func (f *fixture) raw(method, path string, h wire, body string) *http.Request {
	f.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, f.srv.URL+path,
		strings.NewReader(body))
	require.NoError(f.t, err)
	if h.passKey != "" {
		req.Header[envelope.HeaderPassKey] = []string{h.passKey}
	}
	if h.secrets != "" {
		req.Header[envelope.HeaderSecretsName] = []string{h.secrets}
	}
	req.Header["Content-Type"] = []string{"application/json"}
	return req
}

// headerToken seals a header_secrets document with the standard
// library's AES-CBC directly, so that documents the codec would never
// build can be sent.
func headerToken(t testing.TB, key []byte, doc string) string {
	return cbcSeal(t, key, randomIV(t), []byte(doc))
}

func headerDoc(id, secret, epoch string) string {
	b, _ := json.Marshal(map[string]string{
		"client_id": id, "client_secret": secret, "epoch": epoch})
	return string(b)
}

func randomIV(t testing.TB) []byte {
	iv := make([]byte, aes.BlockSize)
	_, err := rand.Read(iv)
	require.NoError(t, err)
	return iv
}

// cbcSeal pads plaintext with PKCS#7 and encrypts it with AES-CBC from
// the standard library, returning base64(iv ‖ ciphertext).
func cbcSeal(t testing.TB, key, iv, plaintext []byte) string {
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	blocks := append(append([]byte{}, plaintext...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	return cbcBlocks(t, key, iv, blocks)
}

// cbcBlocks encrypts whole blocks as they are, padding or not.
func cbcBlocks(t testing.TB, key, iv, blocks []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	ct := make([]byte, len(blocks))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, blocks)
	return base64.StdEncoding.EncodeToString(append(append([]byte{}, iv...), ct...))
}

// openAnswer opens a sealed success answer with the standard library
// and returns the plaintext and the IV.
func openAnswer(t testing.TB, key, body []byte) (plaintext, iv []byte) {
	t.Helper()
	var doc struct{ ResponseData string }
	require.NoError(t, json.Unmarshal(body, &doc), "answer %s", body)
	raw, err := base64.StdEncoding.DecodeString(doc.ResponseData)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(raw), 32)
	require.Zero(t, len(raw)%aes.BlockSize)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	pt := make([]byte, len(raw)-aes.BlockSize)
	cipher.NewCBCDecrypter(block, raw[:aes.BlockSize]).CryptBlocks(pt, raw[aes.BlockSize:])
	pad := int(pt[len(pt)-1])
	require.True(t, pad >= 1 && pad <= aes.BlockSize, "padding")
	return pt[:len(pt)-pad], raw[:aes.BlockSize]
}

// bodyOf wraps a token as a request body.
func bodyOf(token string) string { return `{"RequestData":"` + token + `"}` }

// last returns the last recorded exchange.
func (f *fixture) last() mockgateway.Exchange {
	f.t.Helper()
	ex := f.gw.Exchanges()
	require.NotEmpty(f.t, ex)
	return ex[len(ex)-1]
}

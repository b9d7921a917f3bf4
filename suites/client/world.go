package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// world is what a session runs against: the mock gateway with the tap
// in front of it, and the one client it knows, whose credentials the
// program gets.
type world struct {
	profile *profiles.Profile
	gw      *mockgateway.Gateway
	tap     *tap
	creds   profiles.Credentials
	scheme  envelope.Scheme
	codec   *envelope.Codec // the client's key, for opening what was sent
	secrets *strings.Replacer
}

// newWorld builds the mock for profile p: its settings and routes, the
// scenario's routes, and the primary mock client.
func newWorld(p *profiles.Profile) (*world, error) {
	creds := mockCredentials(p)
	cfg, err := mockgateway.FromProfile(p, map[string]profiles.Credentials{profiles.Primary: creds})
	if err != nil {
		return nil, err
	}
	cfg.Routes = addRoutes(cfg.Routes, Routes())
	gw, err := mockgateway.New(cfg)
	if err != nil {
		return nil, err
	}
	key, err := envelope.ParseKey(creds.Key, envelope.KeyEncoding(p.KeyEncoding))
	if err != nil {
		return nil, fmt.Errorf("the mock client's key: %w", err)
	}
	codec, err := envelope.New(cfg.Scheme, key)
	if err != nil {
		return nil, err
	}
	w := &world{profile: p, gw: gw, tap: newTap(gw), creds: creds, scheme: cfg.Scheme, codec: codec}
	w.secrets = secretReplacer(creds, key)
	return w, nil
}

// mockCredentials returns the primary mock client's credentials in the
// profile's key encoding. The mock's keys are base64; for a profile
// with key_encoding raw, the first 32 characters of the base64 text
// serve as the raw key.
func mockCredentials(p *profiles.Profile) profiles.Credentials {
	c := profiles.MockCredentials[profiles.Primary]
	if p.KeyEncoding == string(envelope.KeyRaw) {
		c.Key = c.Key[:envelope.KeySize]
	}
	return c
}

// addRoutes adds the scenario's routes to those of the profile, except
// where the profile already serves the same path and method.
func addRoutes(have, add []mockgateway.Route) []mockgateway.Route {
	out := append([]mockgateway.Route(nil), have...)
	for _, r := range add {
		taken := false
		for _, h := range have {
			taken = taken || (h.Path == r.Path && strings.EqualFold(methodOf(h), methodOf(r)))
		}
		if !taken {
			out = append(out, r)
		}
	}
	return out
}

func methodOf(r mockgateway.Route) string {
	if r.Method == "" {
		return http.MethodPost
	}
	return r.Method
}

// env returns the program's environment: gwcert's own, without any
// GWCERT_ variable it had, plus the contract's variables.
func (w *world) env(baseURL string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GWCERT_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"GWCERT_BASE_URL="+baseURL,
		"GWCERT_PASS_KEY="+w.creds.PassKey,
		"GWCERT_CLIENT_ID="+w.creds.ClientID,
		"GWCERT_CLIENT_SECRET="+w.creds.ClientSecret,
		"GWCERT_KEY="+w.creds.Key,
		"GWCERT_KEY_ENCODING="+w.profile.KeyEncoding,
		"GWCERT_SCHEME="+string(w.scheme),
	)
}

// scrub replaces every form of the client's secrets in text that came
// from outside gwcert: the program's output, or bytes it sent.
func (w *world) scrub(text string) string { return w.secrets.Replace(text) }

// secretReplacer replaces the key (as handed over, in base64 of either
// alphabet and in hex), the client secret and the pass key, longest
// first.
func secretReplacer(c profiles.Credentials, key []byte) *strings.Replacer {
	forms := []string{
		hex.EncodeToString(key), strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key), base64.URLEncoding.EncodeToString(key),
		base64.RawStdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key),
		c.Key, c.PassKey, c.ClientSecret,
	}
	var pairs []string
	for _, f := range forms {
		if len(f) >= 8 {
			pairs = append(pairs, f, "[redacted]")
		}
	}
	return strings.NewReplacer(pairs...)
}

// tap stands in front of the mock. It stamps every call with its arrival
// order and the step being fed, and keeps the whole body and answer.
type tap struct {
	next http.Handler
	step atomic.Int64
	mu   sync.Mutex // guards calls
	kept []Call
}

// tapHeader carries a call's arrival order into the recorder, which
// keeps request headers, so that exchange and call can be paired.
const tapHeader = "Gwcert-Tap-Seq"

// tapLimit is the most of a body or an answer the tap keeps; the mock
// refuses bodies over its limit (1 MiB by default) anyway.
const tapLimit = 4 << 20

func newTap(next http.Handler) *tap {
	t := &tap{next: next}
	t.step.Store(-1)
	return t
}

// setStep marks the step being fed from now on.
func (t *tap) setStep(i int) { t.step.Store(int64(i)) }

func (t *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, cut := readLimited(r.Body, tapLimit)
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	t.mu.Lock()
	seq := len(t.kept)
	t.kept = append(t.kept, Call{Seq: seq, Step: int(t.step.Load()), Method: r.Method,
		Path: r.URL.Path, Body: body, Cut: cut})
	t.mu.Unlock()

	r.Header.Set(tapHeader, strconv.Itoa(seq))
	aw := &answerWriter{ResponseWriter: w}
	t.next.ServeHTTP(aw, r)

	t.mu.Lock()
	defer t.mu.Unlock()
	c := &t.kept[seq]
	c.Status, c.Answer, c.Cut = aw.status, aw.body.Bytes(), c.Cut || aw.cut
}

// calls returns the kept calls, each paired with its recorded exchange.
func (t *tap) calls(exchanges []mockgateway.Exchange) []Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]Call(nil), t.kept...)
	for _, ex := range exchanges {
		seq, err := strconv.Atoi(ex.Headers.Get(tapHeader))
		if err == nil && seq >= 0 && seq < len(out) {
			ex.Headers.Del(tapHeader)
			out[seq].Exchange, out[seq].Recorded = ex, true
		}
	}
	return out
}

// readLimited reads r up to limit bytes and reports whether more was
// left.
func readLimited(r io.Reader, limit int64) ([]byte, bool) {
	b, _ := io.ReadAll(io.LimitReader(r, limit+1)) // a read error leaves what arrived
	if int64(len(b)) > limit {
		return b[:limit], true
	}
	return b, false
}

// answerWriter keeps the status and body the mock writes.
type answerWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	cut    bool
}

func (a *answerWriter) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerWriter) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	room := tapLimit - a.body.Len()
	a.cut = a.cut || len(b) > room
	a.body.Write(b[:min(len(b), room)])
	return a.ResponseWriter.Write(b)
}

// stopServer lets calls in flight finish, briefly, then closes.
func stopServer(srv *mockgateway.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if srv.Shutdown(ctx) != nil {
		srv.Close()
	}
}

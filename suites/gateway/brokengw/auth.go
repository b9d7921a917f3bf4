package brokengw

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
	"github.com/gwcert/gwcert/reports"
)

// wrapFunc is the type of Fixture.Wrap.
type wrapFunc = func(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler

// headerFix may replace the header_secrets token of a call from c.
type headerFix func(k *keyring, c *client, token string) (string, bool)

// authFixtures break the checks of pass_key and header_secrets
// (PROTOCOL.md section 6, checks 1 to 6). Each repairs one kind of bad
// header before the mock sees it, so the mock accepts what it should not.
func authFixtures() []Fixture {
	return []Fixture{
		{
			Name:   "no-pass-key",
			Breaks: "treats a call without pass_key as the primary client's",
			Want:   verdicts{"G-6.1": reports.Fail},
			Wrap:   defaultPassKey,
		},
		{
			Name:   "missing-header-secrets",
			Breaks: "lets a call without header_secrets through on its pass key alone",
			Want:   verdicts{"G-6.2": reports.Fail},
			Wrap:   rewriteHeader(missingHeader),
		},
		{
			Name:   "plaintext-header",
			Breaks: "accepts header_secrets sent as the plain JSON",
			Want:   verdicts{"G-6.3": reports.Fail},
			Wrap:   rewriteHeader(plaintextHeader),
		},
		{
			Name:   "misnamed-client-id",
			Breaks: `accepts a header naming "Client_id"`,
			Want:   verdicts{"G-6.3": reports.Fail},
			Wrap:   rewriteHeader(misnamedClientID),
		},
		{
			Name:   "cross-client-key",
			Breaks: "accepts a header sealed with another client's key for this client's pass key",
			Want:   verdicts{"G-6.3": reports.Fail},
			Wrap:   rewriteHeader(crossClientKey),
		},
		{
			Name:   "wrong-secret",
			Breaks: "accepts a header with the right client_id and a wrong client_secret",
			Want:   verdicts{"G-6.4": reports.Fail},
			Wrap:   rewriteHeader(wrongSecret),
		},
		{
			Name:   "millisecond-epoch",
			Breaks: "reads a 13-digit epoch as milliseconds and accepts it",
			Want:   verdicts{"G-6.6": reports.Warn},
			Wrap:   rewriteHeader(millisecondEpoch),
		},
	}
}

// defaultPassKey gives a call without pass_key the primary's.
func defaultPassKey(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler {
	primary := creds[profiles.Primary].PassKey
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.Header.Values(envelope.HeaderPassKey)) == 0 {
			r = r.Clone(r.Context())
			r.Header.Set(envelope.HeaderPassKey, primary)
		}
		g.ServeHTTP(w, r)
	})
}

// rewriteHeader returns a wrapper that offers the header_secrets of every
// call from a known client to fix, and sends the mock fix's token instead.
func rewriteHeader(fix headerFix) wrapFunc {
	return func(g *mockgateway.Gateway, creds map[string]profiles.Credentials) http.Handler {
		return withKeyring(creds, func(k *keyring) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c := k.sender(r)
				if c == nil {
					g.ServeHTTP(w, r)
					return
				}
				if tok, ok := fix(k, c, r.Header.Get(envelope.HeaderSecretsName)); ok {
					r = r.Clone(r.Context())
					r.Header.Set(envelope.HeaderSecretsName, tok)
				}
				g.ServeHTTP(w, r)
			})
		})
	}
}

// seal seals plaintext with c's key.
func (c *client) seal(plaintext []byte) (string, bool) {
	tok, err := c.codec.Seal(plaintext)
	return tok, err == nil
}

// header seals a header for c at epoch.
func (c *client) header(clientID, clientSecret string, epoch int64) (string, bool) {
	return c.seal(envelope.AppendHeaderJSON(nil, clientID, clientSecret, epoch))
}

func missingHeader(_ *keyring, c *client, token string) (string, bool) {
	if token != "" {
		return "", false
	}
	return c.header(c.cred.ClientID, c.cred.ClientSecret, time.Now().Unix())
}

func plaintextHeader(_ *keyring, c *client, token string) (string, bool) {
	if !strings.HasPrefix(token, "{") {
		return "", false
	}
	return c.seal([]byte(token))
}

func misnamedClientID(_ *keyring, c *client, token string) (string, bool) {
	pt, err := c.codec.Open(token)
	if err != nil || !bytes.Contains(pt, []byte(`"Client_id"`)) {
		return "", false
	}
	return c.seal(bytes.Replace(pt, []byte(`"Client_id"`), []byte(`"client_id"`), 1))
}

func crossClientKey(k *keyring, c *client, token string) (string, bool) {
	if _, err := c.codec.Open(token); err == nil {
		return "", false
	}
	for _, other := range k.others(c) {
		if pt, err := other.codec.Open(token); err == nil {
			return c.seal(pt)
		}
	}
	return "", false
}

func wrongSecret(_ *keyring, c *client, token string) (string, bool) {
	h, err := c.codec.OpenHeaderSecrets([]byte(token))
	if err != nil || h.ClientID != c.cred.ClientID || h.ClientSecret == c.cred.ClientSecret {
		return "", false
	}
	epoch, err := h.Unix()
	if err != nil {
		return "", false
	}
	return c.header(h.ClientID, c.cred.ClientSecret, epoch)
}

func millisecondEpoch(_ *keyring, c *client, token string) (string, bool) {
	h, err := c.codec.OpenHeaderSecrets([]byte(token))
	if err != nil || len(h.Epoch) != 13 {
		return "", false
	}
	ms, err := h.Unix()
	if err != nil {
		return "", false
	}
	return c.header(h.ClientID, h.ClientSecret, ms/1000)
}

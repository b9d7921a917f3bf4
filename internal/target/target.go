// Package target opens the gateway a run talks to: a real one named by a
// profile or a URL, or the bundled mock gateway started in-process. It
// resolves the clients' credentials (from the environment for a real
// target, the public test credentials for the mock) and builds one codec
// per client.
package target

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// Client is one client of the target with its codec.
type Client struct {
	Name  string
	Cred  envelope.Credentials
	Key   []byte
	Codec *envelope.Codec
}

// Target is an open gateway.
type Target struct {
	URL     string // base URL, no trailing slash
	Profile *profiles.Profile
	Scheme  envelope.Scheme
	Primary *Client
	Peer    *Client // nil when the profile's peer client is not configured
	Mock    *mockgateway.Gateway
	HTTP    *http.Client
	server  *mockgateway.Server
}

// Options say which target to open.
type Options struct {
	Profile *profiles.Profile                  // nil: the bundled mock's profile
	URL     string                             // overrides the profile's target
	Lookup  profiles.Lookup                    // environment lookup; nil: no variables
	Tune    func(*mockgateway.Config)          // adjusts the in-process mock's config
	Logger  *slog.Logger                       // the mock's logger; nil discards
	Clock   func() time.Time                   // clock for the codecs and the mock
	Wrap    func(http.Handler) http.Handler    // wraps the mock's handler (test fixtures)
	Started func(*mockgateway.Gateway, string) // called once the mock listens
}

// Open opens the target. With no URL in the options or the profile it
// starts the bundled mock on a free loopback port, serving the profile's
// routes to the public test credentials.
func Open(ctx context.Context, o Options) (*Target, error) {
	p := o.Profile
	if p == nil {
		p = profiles.Default()
	}
	scheme, err := envelope.ParseScheme(p.Scheme)
	if err != nil {
		return nil, err
	}
	t := &Target{Profile: p, Scheme: scheme, URL: strings.TrimRight(o.URL, "/"),
		HTTP: &http.Client{Timeout: 30 * time.Second}}
	if t.URL == "" {
		t.URL = strings.TrimRight(p.Target, "/")
	}
	if t.URL == "" {
		err = t.startMock(ctx, o)
	} else {
		err = t.envClients(o)
	}
	if err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// IsMock reports whether the target is the in-process mock.
func (t *Target) IsMock() bool { return t.Mock != nil }

// Close stops the in-process mock, if any.
func (t *Target) Close() error {
	if t.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return t.server.Shutdown(ctx)
	}
	return nil
}

func (t *Target) startMock(ctx context.Context, o Options) error {
	cfg, err := mockgateway.FromProfile(t.Profile, profiles.MockCredentials)
	if err != nil {
		return err
	}
	cfg.Logger, cfg.Clock = o.Logger, o.Clock
	if o.Tune != nil {
		o.Tune(&cfg)
	}
	g, err := mockgateway.New(cfg)
	if err != nil {
		return err
	}
	t.Mock = g
	var h http.Handler = g
	if o.Wrap != nil {
		h = o.Wrap(g)
	}
	srv, err := mockgateway.Serve(ctx, "127.0.0.1:0", h,
		mockgateway.ServeOptions{Log: cfg.Logger, BodyReadTimeout: cfg.BodyReadTimeout})
	if err != nil {
		return fmt.Errorf("starting the bundled mock: %w", err)
	}
	t.server, t.URL = srv, srv.URL
	if o.Started != nil {
		o.Started(g, t.URL)
	}
	for _, name := range []string{profiles.Primary, profiles.Peer} {
		c, ok := profiles.MockCredentials[name]
		if !ok {
			continue
		}
		cl, err := t.client(name, c, o.Clock)
		if err != nil {
			return err
		}
		t.setClient(name, cl)
	}
	return nil
}

// envClients reads the clients' credentials from the environment. The
// primary client is required; the peer is optional.
func (t *Target) envClients(o Options) error {
	lookup := o.Lookup
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	for _, name := range []string{profiles.Primary, profiles.Peer} {
		if name == profiles.Peer && !t.Profile.HasClient(name, lookup) {
			continue
		}
		c, err := t.Profile.Credentials(name, lookup)
		if err != nil {
			return err // names the client and its variables already
		}
		cl, err := t.client(name, c, o.Clock)
		if err != nil {
			return err
		}
		t.setClient(name, cl)
	}
	return nil
}

func (t *Target) client(name string, c profiles.Credentials, clock func() time.Time) (*Client, error) {
	enc, err := envelope.ParseKeyEncoding(t.Profile.KeyEncoding)
	if err != nil {
		return nil, err
	}
	key, err := envelope.ParseKey(c.Key, enc)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", name, err)
	}
	var opts []envelope.Option
	if clock != nil {
		opts = append(opts, envelope.WithClock(clock))
	}
	codec, err := envelope.New(t.Scheme, key, opts...)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", name, err)
	}
	cred := envelope.Credentials{PassKey: c.PassKey, ClientID: c.ClientID, ClientSecret: c.ClientSecret}
	return &Client{Name: name, Cred: cred, Key: key, Codec: codec}, nil
}

func (t *Target) setClient(name string, c *Client) {
	if name == profiles.Primary {
		t.Primary = c
	} else {
		t.Peer = c
	}
}

// Describe names the target for reports: its URL, and "(bundled mock)"
// for the in-process mock.
func (t *Target) Describe() string {
	if t.IsMock() {
		return t.URL + " (bundled mock)"
	}
	return t.URL
}

// Secrets returns every form in which the client's secrets could leak:
// the key as base64, hex and raw bytes, the client secret and the pass
// key. Evidence is checked against them.
func (c *Client) Secrets() []string {
	return []string{base64.StdEncoding.EncodeToString(c.Key), hex.EncodeToString(c.Key),
		string(c.Key), c.Cred.ClientSecret, c.Cred.PassKey}
}

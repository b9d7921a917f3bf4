package mockgateway

import (
	"maps"
	"slices"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// FromProfile builds the Config of a gateway that serves profile p to
// the clients in creds, keyed by client name (for the bundled mock:
// profiles.Default() and profiles.MockCredentials). Keys are decoded as
// p.KeyEncoding says. The profile's scheme, epoch window, future skew,
// replay detection, body limit and routes are taken over; a route whose
// Answer is nil echoes. Clock, Logger, RecorderLimit and Faults are left
// for the caller. The error is a *ConfigError listing every problem; it
// names clients and fields, never their values.
func FromProfile(p *profiles.Profile, creds map[string]profiles.Credentials) (Config, error) {
	var probs problems
	enc, err := envelope.ParseKeyEncoding(p.KeyEncoding)
	if err != nil {
		probs.add("profile.key_encoding", "unknown key encoding (want base64 or raw)")
	}
	scheme, err := envelope.ParseScheme(p.Scheme)
	if err != nil {
		probs.add("profile.scheme", "unknown scheme (want aes-256-cbc or aes-256-gcm)")
	}
	cfg := Config{
		Scheme:          scheme,
		EpochWindow:     p.EpochWindow,
		MaxFutureSkew:   p.MaxFutureSkew,
		ReplayDetection: p.ReplayDetection,
		MaxBodyBytes:    p.MaxBodyBytes,
	}
	if p.MaxFutureSkew == 0 {
		cfg.MaxFutureSkew = NoFutureSkew // a profile's zero means none
	}
	for _, name := range slices.Sorted(maps.Keys(creds)) {
		cfg.Clients = append(cfg.Clients, profileClient(name, creds[name], enc, &probs))
	}
	for _, r := range p.Routes {
		cfg.Routes = append(cfg.Routes, Route{Path: r.Path, Method: r.Method,
			Status: r.Status, Answer: r.Answer})
	}
	return cfg, probs.err()
}

// profileClient converts one client's credentials, decoding its key.
func profileClient(name string, c profiles.Credentials, enc envelope.KeyEncoding,
	probs *problems) Client {
	key, err := envelope.ParseKey(c.Key, enc)
	if err != nil && enc != "" {
		probs.add("credentials."+name+".key", "not a 32-byte key in encoding %s", enc)
	}
	return Client{Name: name, PassKey: c.PassKey, ClientID: c.ClientID,
		ClientSecret: c.ClientSecret, Key: key}
}

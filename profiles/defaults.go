package profiles

import (
	"encoding/json"
	"time"
)

// Defaults of a profile, applied to every field the document leaves out.
const (
	DefaultScheme        = "aes-256-cbc"
	DefaultKeyEncoding   = "base64"
	DefaultEpochWindow   = 300 * time.Second
	DefaultMaxFutureSkew = 60 * time.Second
	DefaultMaxBodyBytes  = 1 << 20
	DefaultMethod        = "POST"
	DefaultStatus        = 200
	DefaultUnknownPath   = "/api/does-not-exist"
	DefaultEchoPath      = "/api/echo"
)

// Names of the two clients the suites use.
const (
	Primary = "primary"
	Peer    = "peer"
)

// defaultEchoPayload is the sample of the route a profile gets when it
// lists none.
const defaultEchoPayload = `{"amount":"10.00","currency":"INR"}`

// newDefaults returns a profile holding every default, named name.
func newDefaults(name string) *Profile {
	return &Profile{
		Name:          name,
		Scheme:        DefaultScheme,
		KeyEncoding:   DefaultKeyEncoding,
		EpochWindow:   DefaultEpochWindow,
		MaxFutureSkew: DefaultMaxFutureSkew,
		MaxBodyBytes:  DefaultMaxBodyBytes,
		UnknownPath:   DefaultUnknownPath,
		Clients: map[string]ClientRef{
			Primary: defaultClient(Primary),
			Peer:    defaultClient(Peer),
		},
	}
}

// newRoute returns a route holding the per-route defaults and an empty
// object as its sample payload.
func newRoute() Route {
	return Route{
		Method:  DefaultMethod,
		Payload: json.RawMessage(`{}`),
		Weight:  1,
		Status:  DefaultStatus,
	}
}

// defaultEchoRoute is the one route of a profile that lists none.
func defaultEchoRoute() Route {
	r := newRoute()
	r.Path = DefaultEchoPath
	r.Payload = json.RawMessage(defaultEchoPayload)
	return r
}

// defaultClient returns the variable names of a known client: GWCERT_* for
// the primary, GWCERT_PEER_* for the peer. Other names get no defaults.
func defaultClient(name string) ClientRef {
	var prefix string
	switch name {
	case Primary:
		prefix = "GWCERT_"
	case Peer:
		prefix = "GWCERT_PEER_"
	default:
		return ClientRef{}
	}
	return ClientRef{
		PassKeyEnv:      prefix + "PASS_KEY",
		ClientIDEnv:     prefix + "CLIENT_ID",
		ClientSecretEnv: prefix + "CLIENT_SECRET",
		KeyEnv:          prefix + "KEY",
	}
}

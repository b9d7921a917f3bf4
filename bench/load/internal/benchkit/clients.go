package benchkit

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// MaxClients is the most generated clients a benchmark may ask for.
const MaxClients = 100000

// Client is one client an attacker speaks as: its credentials and codec.
type Client struct {
	Cred  envelope.Credentials
	Codec *envelope.Codec
}

// Generated returns n clients derived from their index alone, so that the
// helper server and the attackers, separate processes, agree on them
// without exchanging secrets. They are public benchmark credentials,
// known to anyone who reads this file, and must never be used elsewhere.
func Generated(n int) ([]mockgateway.Client, error) {
	if n < 1 || n > MaxClients {
		return nil, fmt.Errorf("clients: %d, want 1 to %d", n, MaxClients)
	}
	out := make([]mockgateway.Client, n)
	for i := range out {
		out[i] = generated(i)
	}
	return out, nil
}

// generated derives client i: every value is a digest of a label and i.
func generated(i int) mockgateway.Client {
	sum := func(label string) [32]byte {
		return sha256.Sum256(fmt.Appendf(nil, "gwcert-bench %s %d", label, i))
	}
	pass, secret, key := sum("pass_key"), sum("client_secret"), sum("key")
	return mockgateway.Client{
		Name:         fmt.Sprintf("bench-%05d", i),
		PassKey:      base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(pass[:]),
		ClientID:     fmt.Sprintf("gwcert-bench-%05d", i),
		ClientSecret: hex.EncodeToString(secret[:20]),
		Key:          key[:],
	}
}

// Clients returns the clients an attacker uses: n generated ones, or for
// n == 0 the bundled mock profile's primary client read from the GWCERT_*
// environment variables that `gwcert mock` prints.
func Clients(n int) ([]Client, error) {
	var cfg []mockgateway.Client
	var err error
	if n == 0 {
		cfg, err = primaryFromEnv()
	} else {
		cfg, err = Generated(n)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Client, len(cfg))
	for i, c := range cfg {
		codec, err := envelope.New(envelope.CBC, c.Key)
		if err != nil {
			return nil, fmt.Errorf("client %s: %w", c.Name, err)
		}
		out[i] = Client{Codec: codec, Cred: envelope.Credentials{PassKey: c.PassKey,
			ClientID: c.ClientID, ClientSecret: c.ClientSecret}}
	}
	return out, nil
}

// primaryFromEnv reads the bundled profile's primary client from the
// environment. Errors name the variables, never their values.
func primaryFromEnv() ([]mockgateway.Client, error) {
	p := profiles.Default()
	cred, err := p.Credentials(profiles.Primary, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	enc, err := envelope.ParseKeyEncoding(p.KeyEncoding)
	if err != nil {
		return nil, err
	}
	key, err := envelope.ParseKey(cred.Key, enc)
	if err != nil {
		return nil, fmt.Errorf("credentials: key: %w", err)
	}
	return []mockgateway.Client{{Name: profiles.Primary, PassKey: cred.PassKey,
		ClientID: cred.ClientID, ClientSecret: cred.ClientSecret, Key: key}}, nil
}

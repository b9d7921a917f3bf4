package load

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/target"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// openMock starts the bundled mock on a loopback port for profile p (nil:
// the default profile), its handler wrapped by wrap when given, and
// stops it when the test ends.
func openMock(t *testing.T, p *profiles.Profile, tune func(*mockgateway.Config),
	wrap func(http.Handler) http.Handler) *target.Target {
	t.Helper()
	opts := target.Options{Profile: p, Wrap: wrap, Tune: func(c *mockgateway.Config) {
		c.RecorderLimit = mockgateway.RecorderOff
		if tune != nil {
			tune(c)
		}
	}}
	tg, err := target.Open(context.Background(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { tg.Close() })
	return tg
}

// clientsOf returns the load clients of a target: primary, then peer.
func clientsOf(tg *target.Target) []Client {
	var out []Client
	for _, c := range []*target.Client{tg.Primary, tg.Peer} {
		if c != nil {
			out = append(out, Client{Name: c.Name, Cred: c.Cred, Codec: c.Codec})
		}
	}
	return out
}

// newTargeter returns a targeter for the target's profile routes.
func newTargeter(t *testing.T, tg *target.Target, opts ...TargeterOption) *Targeter {
	t.Helper()
	tr, err := NewTargeter(tg.URL, RoutesFromProfile(tg.Profile.Routes), clientsOf(tg), opts...)
	require.NoError(t, err)
	return tr
}

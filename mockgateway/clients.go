package mockgateway

import (
	"crypto/sha256"
	"crypto/subtle"
	"strconv"
	"strings"

	"github.com/gwcert/gwcert/envelope"
)

// client is a registered client, ready for the hot path: its codec is
// built once, and its identifiers are kept only as digests for the
// constant-time comparisons.
type client struct {
	name      string
	passSum   [sha256.Size]byte
	idSum     [sha256.Size]byte
	secretSum [sha256.Size]byte
	codec     *envelope.Codec
}

// buildClients checks the configured clients and builds their codecs. A
// client whose codec cannot be built has its problem reported by
// checkClient; scheme is valid.
func buildClients(cfg []Client, scheme envelope.Scheme, p *problems) []*client {
	if len(cfg) == 0 {
		p.add("Clients", "none; the gateway needs at least one")
	}
	names, passKeys, keys := map[string]int{}, map[string]int{}, map[string]int{}
	var out []*client
	for i, c := range cfg {
		at := "Clients[" + strconv.Itoa(i) + "]"
		checkClient(at, c, p)
		if j, dup := names[c.Name]; dup && c.Name != "" {
			p.add(at+".Name", "same name as Clients[%d]", j)
		}
		if j, dup := passKeys[c.PassKey]; dup && c.PassKey != "" {
			p.add(at+".PassKey", "same pass key as Clients[%d]", j)
		}
		if j, dup := keys[string(c.Key)]; dup && len(c.Key) > 0 {
			p.add(at+".Key", "same key as Clients[%d]; keys are client-specific", j)
		}
		names[c.Name], passKeys[c.PassKey], keys[string(c.Key)] = i, i, i
		if codec, err := envelope.New(scheme, c.Key); err == nil {
			out = append(out, newClient(c, codec))
		}
	}
	return out
}

// checkClient adds the problems of one client's fields.
func checkClient(at string, c Client, p *problems) {
	if c.Name == "" {
		p.add(at+".Name", "required")
	}
	switch {
	case c.PassKey == "":
		p.add(at+".PassKey", "required")
	case strings.ContainsFunc(c.PassKey, func(r rune) bool { return r <= ' ' || r > '~' }):
		p.add(at+".PassKey", "must be printable ASCII without spaces (it travels as a header)")
	}
	if c.ClientID == "" {
		p.add(at+".ClientID", "required")
	}
	if c.ClientSecret == "" {
		p.add(at+".ClientSecret", "required")
	}
	if len(c.Key) != envelope.KeySize {
		p.add(at+".Key", "%d bytes, want %d", len(c.Key), envelope.KeySize)
	}
}

func newClient(c Client, codec *envelope.Codec) *client {
	return &client{
		name:      c.Name,
		passSum:   sha256.Sum256([]byte(c.PassKey)),
		idSum:     sha256.Sum256([]byte(c.ClientID)),
		secretSum: sha256.Sum256([]byte(c.ClientSecret)),
		codec:     codec,
	}
}

// lookup returns the client whose pass key is passKey, or nil. It
// compares digests with every client and never stops early, so its time
// depends only on the number of clients.
func (g *Gateway) lookup(passKey string) *client {
	sum := sha256.Sum256([]byte(passKey))
	found := -1
	for i, c := range g.clients {
		eq := subtle.ConstantTimeCompare(sum[:], c.passSum[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return nil
	}
	return g.clients[found]
}

// matches compares a client id and secret with the client's in constant
// time, both always, and reports each result.
func (c *client) matches(id, secret string) (idOK, secretOK bool) {
	idSum := sha256.Sum256([]byte(id))
	secretSum := sha256.Sum256([]byte(secret))
	a := subtle.ConstantTimeCompare(idSum[:], c.idSum[:])
	b := subtle.ConstantTimeCompare(secretSum[:], c.secretSum[:])
	return a == 1, b == 1
}

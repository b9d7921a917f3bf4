package mockgateway

import (
	"net/http"
	"strings"

	"github.com/gwcert/gwcert/envelope"
)

// headerValue is what a request carried for one protocol header, under
// any spelling of its name.
type headerValue struct {
	value    string // the first value sent
	n        int    // how many values were sent
	conflict bool   // some value differs from the first
}

func (h *headerValue) add(values []string) {
	for _, v := range values {
		if h.n == 0 {
			h.value = v
		} else if v != h.value {
			h.conflict = true
		}
		h.n++
	}
}

// wireHeaders collects pass_key and header_secrets from h in one pass,
// matching names without regard to case: a server canonicalises them to
// "Pass_key", while a request handed straight to the handler may hold
// them as written.
func wireHeaders(h http.Header) (passKey, secrets headerValue) {
	for name, values := range h {
		switch {
		case len(name) == len(envelope.HeaderPassKey) &&
			strings.EqualFold(name, envelope.HeaderPassKey):
			passKey.add(values)
		case len(name) == len(envelope.HeaderSecretsName) &&
			strings.EqualFold(name, envelope.HeaderSecretsName):
			secrets.add(values)
		}
	}
	return passKey, secrets
}

// maskedHeaders copies h for the recorder with every pass_key value
// masked.
func maskedHeaders(h http.Header) http.Header {
	out := h.Clone()
	for name, values := range out {
		if strings.EqualFold(name, envelope.HeaderPassKey) {
			for i, v := range values {
				values[i] = envelope.MaskPassKey(v)
			}
		}
	}
	return out
}

// openHeader opens a header_secrets token with the client's codec. The
// envelope parser also refuses an epoch that is not decimal digits, which
// the protocol judges later (check 5, after the credentials of check 4);
// such a header comes back with its members, and its epoch is judged in
// its turn.
func openHeader(c *client, token string) (envelope.HeaderSecrets, error) {
	hs, err := c.codec.OpenHeaderSecrets([]byte(token))
	if envelope.IsEpochError(err) {
		return hs, nil
	}
	return hs, err
}

package mockgateway

import (
	"bytes"
	"encoding/json"
	"io"
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
// so when the parser reports a member fault, the token is opened again
// and its shape checked here, and an epoch of any string is let through.
func openHeader(c *client, token string) (envelope.HeaderSecrets, error) {
	hs, err := c.codec.OpenHeaderSecrets([]byte(token))
	if err == nil || envelope.KindOf(err) != envelope.KindMember {
		return hs, err
	}
	pt, openErr := c.codec.Open(token)
	if openErr != nil {
		return hs, err
	}
	if loose, ok := headerShape(pt); ok {
		return loose, nil
	}
	return hs, err
}

// headerShape reports whether pt is one JSON object with exactly the
// members client_id, client_secret and epoch, each once and a string, and
// returns them. It runs only after the strict envelope parser has read
// the whole document, so it need not repeat that parser's checks of the
// JSON itself.
func headerShape(pt []byte) (envelope.HeaderSecrets, bool) {
	var h envelope.HeaderSecrets
	dec := json.NewDecoder(bytes.NewReader(pt))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return h, false
	}
	var seen [3]bool
	for dec.More() {
		name, _ := dec.Token()
		value, err := dec.Token()
		s, isString := value.(string)
		i, slot := headerSlot(&h, name)
		if err != nil || !isString || i < 0 || seen[i] {
			return h, false
		}
		seen[i], *slot = true, s
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return h, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return h, false
	}
	return h, seen == [3]bool{true, true, true}
}

// headerSlot returns the index and field of a header member name.
func headerSlot(h *envelope.HeaderSecrets, name json.Token) (int, *string) {
	switch name {
	case "client_id":
		return 0, &h.ClientID
	case "client_secret":
		return 1, &h.ClientSecret
	case "epoch":
		return 2, &h.Epoch
	}
	return -1, nil
}

package brokengw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// client is one client of the mock as a wrapper sees it: its
// credentials and a codec for its key.
type client struct {
	name  string
	cred  profiles.Credentials
	codec *envelope.Codec
}

// keyring finds the mock's clients by pass key or name.
type keyring struct {
	byPassKey map[string]*client
	byName    map[string]*client
	names     []string // sorted, so that searches are repeatable
}

// newKeyring builds a codec for every client, with the bundled profile's
// scheme and key encoding. Errors name the client, never a value.
func newKeyring(creds map[string]profiles.Credentials) (*keyring, error) {
	p := profiles.Default()
	scheme, err := envelope.ParseScheme(p.Scheme)
	if err != nil {
		return nil, err
	}
	enc, err := envelope.ParseKeyEncoding(p.KeyEncoding)
	if err != nil {
		return nil, err
	}
	k := &keyring{byPassKey: map[string]*client{}, byName: map[string]*client{},
		names: slices.Sorted(maps.Keys(creds))}
	for _, name := range k.names {
		c, err := newClient(name, creds[name], scheme, enc)
		if err != nil {
			return nil, err
		}
		k.byPassKey[c.cred.PassKey], k.byName[name] = c, c
	}
	return k, nil
}

func newClient(name string, cred profiles.Credentials, scheme envelope.Scheme,
	enc envelope.KeyEncoding) (*client, error) {
	key, err := envelope.ParseKey(cred.Key, enc)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", name, err)
	}
	codec, err := envelope.New(scheme, key)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", name, err)
	}
	return &client{name: name, cred: cred, codec: codec}, nil
}

// sender returns the client whose pass key the call carries, or nil.
func (k *keyring) sender(r *http.Request) *client {
	return k.byPassKey[r.Header.Get(envelope.HeaderPassKey)]
}

// others returns every client but c, in name order.
func (k *keyring) others(c *client) []*client {
	var out []*client
	for _, name := range k.names {
		if name != c.name {
			out = append(out, k.byName[name])
		}
	}
	return out
}

// withKeyring builds a wrapper's handler around the keyring of creds.
// With credentials that do not parse, every call gets a 500 that says
// why ([Build] refuses such credentials before it gets here).
func withKeyring(creds map[string]profiles.Credentials,
	build func(*keyring) http.Handler) http.Handler {
	k, err := newKeyring(creds)
	if err != nil {
		body := failureBody(http.StatusInternalServerError, "brokengw: "+err.Error())
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			reply(w, http.StatusInternalServerError, body)
		})
	}
	return build(k)
}

// capture runs h on r and returns the status and body it answered.
func capture(h http.Handler, r *http.Request) (int, []byte) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code, rec.Body.Bytes()
}

// reply sends a JSON answer.
func reply(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", envelope.ContentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) // a failed write means the client left
}

// failureBody is an error answer in the mock's own shape.
func failureBody(status int, desc string) []byte {
	b, _ := json.Marshal(struct {
		Status     string `json:"status"`
		StatusCode int    `json:"statusCode"`
		StatusDesc string `json:"statusDesc"`
	}{"FAILURE", status, desc})
	return b
}

// mockErrors returns the mock's exact failure answers by check id, as
// the bundled profile lists them; parsed once, as the profile is YAML.
var mockErrors = sync.OnceValue(func() map[string]profiles.ErrorExpectation {
	return profiles.Default().Errors
})

// statusDesc returns the statusDesc member of an error answer, if any.
func statusDesc(body []byte) string {
	var doc struct {
		StatusDesc string `json:"statusDesc"`
	}
	json.Unmarshal(body, &doc) // not JSON: no text
	return doc.StatusDesc
}

// bodyPeek is how much of a request body a wrapper reads: more than the
// mock accepts, so the mock still judges an oversized body itself.
const bodyPeek = 2 << 20

// peekBody returns the start of r's body and leaves the whole body in
// place for the mock to read again.
func peekBody(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, bodyPeek)) // a read error ends the peek early
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), r.Body))
	return b
}

// setBody replaces r's body.
func setBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
}

// requestData returns the RequestData token of a request body, or nil.
func requestData(body []byte) []byte {
	tok, err := envelope.ParseRequestBody(body)
	if err != nil {
		return nil
	}
	return tok
}

// is2xx reports whether status is a success.
func is2xx(status int) bool { return status >= 200 && status <= 299 }

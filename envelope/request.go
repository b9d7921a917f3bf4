package envelope

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// Header names and the body member of the protocol (PROTOCOL.md section 4).
const (
	HeaderPassKey       = "pass_key"
	HeaderSecretsName   = "header_secrets"
	RequestDataMember   = "RequestData"
	ResponseDataMember  = "ResponseData"
	ContentTypeJSON     = "application/json"
	requestBodyPrefix   = `{"` + RequestDataMember + `":"`
	responseBodyPrefix  = `{"` + ResponseDataMember + `":"`
	tokenDocumentSuffix = `"}`
)

// Credentials identify one client to the gateway. Its String method
// hides the pass key and the secret.
type Credentials struct {
	PassKey      string
	ClientID     string
	ClientSecret string
}

// String shows the client id only.
func (c Credentials) String() string {
	return fmt.Sprintf("{pass_key:%s client_id:%q client_secret:[redacted]}",
		MaskPassKey(c.PassKey), c.ClientID)
}

// GoString is String, so %#v redacts too.
func (c Credentials) GoString() string { return c.String() }

// MaskPassKey shows the first four characters of a pass key, enough to
// tell clients apart in a report, and hides the rest.
func MaskPassKey(k string) string {
	if len(k) <= 4 {
		return "[redacted]"
	}
	return k[:4] + "…"
}

// Request holds a sealed request: the header_secrets token and the JSON
// body. Keep one per goroutine and pass it to [Codec.SealRequest] again:
// its buffers are reused, so sealing in a loop allocates nothing.
type Request struct {
	HeaderSecrets []byte
	Body          []byte
}

// SealRequest seals a request for cred with the codec clock's current
// epoch: fresh header secrets and the payload as RequestData, each under
// its own fresh IV. The payload is sealed as given; it should be JSON.
func (c *Codec) SealRequest(r *Request, cred Credentials, payload []byte) error {
	return c.SealRequestAt(r, cred, c.now().Unix(), payload)
}

// SealRequestAt is [Codec.SealRequest] with an explicit epoch, for tests
// of the epoch window. The two IVs are read in one go, header first.
func (c *Codec) SealRequestAt(r *Request, cred Credentials, epoch int64, payload []byte) error {
	st := c.pool.Get().(*cbcState)
	defer c.pool.Put(st)
	n := c.scheme.IVSize()
	ivs, err := c.readIVs(st, 2*n)
	if err != nil {
		return err
	}
	st.text = st.header.appendJSON(st.text[:0], cred, epoch)
	r.HeaderSecrets = reserve(r.HeaderSecrets, c.TokenLen(len(st.text)))
	r.HeaderSecrets = c.sealWith(st, r.HeaderSecrets, ivs[:n], st.text)
	r.Body = reserve(r.Body, len(requestBodyPrefix)+c.TokenLen(len(payload))+len(tokenDocumentSuffix))
	body := append(r.Body, requestBodyPrefix...)
	body = c.sealWith(st, body, ivs[n:], payload)
	r.Body = append(body, tokenDocumentSuffix...)
	return nil
}

// reserve returns b emptied, with room for n bytes: b's own array when it
// is big enough, else one new array of exactly n, so that a fresh Request
// costs one allocation per field.
func reserve(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, 0, n)
	}
	return b[:0]
}

// headerStart keeps the header JSON of one client up to the epoch's
// digits, as AppendHeaderJSON writes it. Only the epoch changes from one
// request to the next, so escaping the id and the secret again every time
// is wasted work. It lives in a pooled cbcState, and so holds a client
// secret between requests, as the state's text buffer already does.
type headerStart struct {
	id, secret string // the credentials prefix was built for
	prefix     []byte // nil until built
}

// headerTail ends a header document built by AppendHeaderJSON for epoch
// 0. What comes before its digit is the part that stays the same.
const headerTail = `"epoch":"0"}`

// appendJSON appends the header JSON of cred at epoch to dst, byte for
// byte what AppendHeaderJSON appends.
func (h *headerStart) appendJSON(dst []byte, cred Credentials, epoch int64) []byte {
	if h.prefix == nil || h.id != cred.ClientID || h.secret != cred.ClientSecret {
		doc := AppendHeaderJSON(h.prefix[:0], cred.ClientID, cred.ClientSecret, 0)
		if !bytes.HasSuffix(doc, []byte(headerTail)) {
			h.prefix = nil
			return AppendHeaderJSON(dst, cred.ClientID, cred.ClientSecret, epoch)
		}
		h.id, h.secret = cred.ClientID, cred.ClientSecret
		h.prefix = doc[:len(doc)-len(`0"}`)] // up to and with "epoch":"
	}
	dst = append(dst, h.prefix...)
	dst = strconv.AppendInt(dst, epoch, 10)
	return append(dst, `"}`...)
}

// NewHTTPRequest returns an HTTP request to url carrying a freshly sealed
// request for cred: the pass_key and header_secrets headers (written in
// lower case, as the gateway documents them), Content-Type and the body.
func (c *Codec) NewHTTPRequest(ctx context.Context, method, url string, cred Credentials,
	payload []byte) (*http.Request, error) {
	var r Request
	if err := c.SealRequest(&r, cred, payload); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	SetHeaders(req.Header, cred.PassKey, string(r.HeaderSecrets))
	return req, nil
}

// SetHeaders sets the protocol's headers on h. The names are stored as
// written, not canonicalised, so they travel in lower case.
func SetHeaders(h http.Header, passKey, headerSecrets string) {
	h[HeaderPassKey] = []string{passKey}
	h[HeaderSecretsName] = []string{headerSecrets}
	h["Content-Type"] = []string{ContentTypeJSON}
}

// OpenHeaderSecrets opens a header_secrets token and parses its JSON
// strictly (see [ParseHeaderJSON]).
func (c *Codec) OpenHeaderSecrets(token []byte) (HeaderSecrets, error) {
	st := c.pool.Get().(*cbcState)
	defer c.pool.Put(st)
	pt, err := c.AppendOpen(st.text[:0], token)
	st.text = pt[:0]
	if err != nil {
		return HeaderSecrets{}, withField(retarget(err, "header_secrets"), "header_secrets")
	}
	return ParseHeaderJSON(pt)
}

// retarget renames the field "token" of an *Error to field.
func retarget(err error, field string) error {
	if e, ok := err.(*Error); ok && e.Field == "token" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

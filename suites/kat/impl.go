package kat

import (
	"errors"
	"fmt"

	"github.com/gwcert/gwcert/envelope"
)

// Impl is a crypto implementation under test: gwcert's own codec, or a
// program in another language behind the crypto-adapter contract.
type Impl interface {
	// Name describes the implementation for reports.
	Name() string
	// Seal seals pt under key with the given IV or nonce and returns the token.
	Seal(scheme envelope.Scheme, key, iv, pt []byte) (string, error)
	// Open opens a token; a refusal is a *Refusal naming the rule.
	Open(scheme envelope.Scheme, key []byte, token string) ([]byte, error)
	// Header builds a header_secrets token with the given IV.
	Header(scheme envelope.Scheme, key, iv []byte, h envelope.HeaderSecrets) (string, error)
	// Close releases the implementation (stops an adapter process).
	Close() error
}

// Refusal is an implementation's deliberate rejection of its input, as
// opposed to a failure to answer at all.
type Refusal struct {
	Word string // an envelope kind such as "padding", or "unsupported"
}

func (r *Refusal) Error() string { return "refused: " + r.Word }

// ErrUnsupported is the refusal of an operation the implementation does
// not offer; the check is reported SKIP.
var ErrUnsupported = &Refusal{Word: "unsupported"}

func refusalWord(err error) (string, bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Word, true
	}
	return "", false
}

// goImpl is gwcert's own codec, package envelope.
type goImpl struct{}

// GoCodec returns the implementation backed by package envelope.
func GoCodec() Impl { return goImpl{} }

func (goImpl) Name() string { return "gwcert envelope (Go)" }
func (goImpl) Close() error { return nil }

func (goImpl) Seal(scheme envelope.Scheme, key, iv, pt []byte) (string, error) {
	c, err := envelope.New(scheme, key)
	if err != nil {
		return "", err
	}
	tok, err := c.AppendSealIV(nil, iv, pt)
	return string(tok), err
}

func (goImpl) Open(scheme envelope.Scheme, key []byte, token string) ([]byte, error) {
	c, err := envelope.New(scheme, key)
	if err != nil {
		return nil, err
	}
	pt, err := c.AppendOpen(nil, []byte(token))
	if kind := envelope.KindOf(err); kind != "" {
		return nil, &Refusal{Word: string(kind)}
	}
	return pt, err
}

func (goImpl) Header(scheme envelope.Scheme, key, iv []byte, h envelope.HeaderSecrets) (string, error) {
	epoch, err := h.Unix()
	if err != nil {
		return "", err
	}
	c, err := envelope.New(scheme, key)
	if err != nil {
		return "", err
	}
	tok, err := c.AppendSealIV(nil, iv, envelope.AppendHeaderJSON(nil, h.ClientID, h.ClientSecret, epoch))
	return string(tok), err
}

// ParseHeader opens a header_secrets token and parses it strictly. Only
// the Go codec offers it: the adapter contract has no such operation.
func (goImpl) ParseHeader(scheme envelope.Scheme, key []byte, token string) (envelope.HeaderSecrets, error) {
	c, err := envelope.New(scheme, key)
	if err != nil {
		return envelope.HeaderSecrets{}, err
	}
	h, err := c.OpenHeaderSecrets([]byte(token))
	if kind := envelope.KindOf(err); kind != "" {
		return h, &Refusal{Word: string(kind)}
	}
	return h, err
}

// OpenResponse judges a whole answer as a client must.
func (goImpl) OpenResponse(scheme envelope.Scheme, key []byte, status int, body []byte) (envelope.Response, error) {
	c, err := envelope.New(scheme, key)
	if err != nil {
		return envelope.Response{}, err
	}
	r, err := c.OpenResponse(status, body)
	if kind := envelope.KindOf(err); kind != "" {
		return r, &Refusal{Word: string(kind)}
	}
	return r, err
}

// SealRequest builds a whole request with fixed IVs, header IV first.
func (goImpl) SealRequest(scheme envelope.Scheme, key, headerIV, iv []byte,
	cred envelope.Credentials, epoch int64, payload []byte) (string, string, error) {
	ivs := append(append([]byte{}, headerIV...), iv...)
	c, err := envelope.New(scheme, key, envelope.WithIVSource(newFixedReader(ivs)))
	if err != nil {
		return "", "", err
	}
	var r envelope.Request
	if err := c.SealRequestAt(&r, cred, epoch, payload); err != nil {
		return "", "", err
	}
	return string(r.HeaderSecrets), string(r.Body), nil
}

// fixedReader hands out its bytes once, then fails: a codec that asks for
// more IV bytes than the vector holds is a bug worth seeing.
type fixedReader struct{ b []byte }

func newFixedReader(b []byte) *fixedReader { return &fixedReader{b: b} }

func (f *fixedReader) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, fmt.Errorf("vector IVs exhausted")
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}

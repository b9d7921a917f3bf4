package mockgateway

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Exchange is one call as the gateway saw it. It holds what was on the
// wire and what the checks found, but never a key or the client secret;
// the pass key is masked. Byte fields are cut at RecordedBytes.
type Exchange struct {
	Seq        uint64        // 1 for the first exchange since New or Reset
	Time       time.Time     // when the call arrived, by Config.Clock
	Duration   time.Duration // until the answer was ready to send, by the wall clock
	Method     string
	Path       string
	RemoteAddr string
	// Headers are the request headers as received, pass_key masked with
	// envelope.MaskPassKey; header_secrets is kept as sent (ciphertext).
	Headers http.Header
	// Body is the raw request body as read; BodyBytes its full size.
	Body      []byte
	BodyBytes int
	// RequestData is the body's RequestData token as sent, when check 8
	// found it.
	RequestData string
	// Client is the name of the client the pass key matched, or "".
	Client string
	// Header is what header_secrets held, when it opened.
	Header HeaderRecord
	// Payload is the opened RequestData, when it opened to JSON.
	Payload json.RawMessage
	// Checks holds the verdict of every check that ran, in order; the
	// last one failed unless the call reached its route.
	Checks []Verdict
	// Failed is the check that failed, or 0.
	Failed Check
	// Scripted says the answer came from Gateway.Script.
	Scripted bool
	// Fault is "error" or "drop" when an injected fault hit the call.
	Fault string
	// Status and Answer are the answer's status and body; 0 and nil when
	// the connection was dropped.
	Status int
	Answer []byte
	// ResponseIV is the IV (or GCM nonce) of the sealed ResponseData, for
	// checks that IVs are never reused; nil for a plain answer.
	ResponseIV []byte
	// Truncated says a byte field was cut at RecordedBytes.
	Truncated bool
}

// HeaderRecord is what an opened header_secrets held, without the client
// secret.
type HeaderRecord struct {
	Opened        bool   // the token opened to the three string members
	ClientID      string // the client id sent
	Epoch         string // the epoch sent, as written
	IDMatched     bool   // the client id is the pass key's
	SecretMatched bool   // the client secret is the pass key's
}

// Verdict is the outcome of one check of one call.
type Verdict struct {
	Check Check
	Name  string // Check.String()
	Pass  bool
	// Reason says why the check failed: for a token that did not open,
	// the envelope error kind ("base64", "length", "padding", "tag",
	// "json", "member"); otherwise a short phrase. A passed check has
	// none, except the replay check when it is off.
	Reason string
}

// recorder keeps the last exchanges in a ring.
type recorder struct {
	limit   int
	mu      sync.Mutex // guards ring, oldest, dropped and seq
	ring    []Exchange
	oldest  int // index of the oldest exchange once the ring is full
	dropped int
	seq     uint64
}

// add stores ex, dropping the oldest exchange when full.
func (r *recorder) add(ex Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	ex.Seq = r.seq
	if len(r.ring) < r.limit {
		r.ring = append(r.ring, ex)
		return
	}
	r.ring[r.oldest] = ex
	r.oldest = (r.oldest + 1) % r.limit
	r.dropped++
}

// Exchanges returns a copy of the recorded exchanges, oldest first; nil
// when the recorder is off.
func (g *Gateway) Exchanges() []Exchange {
	r := g.rec
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Exchange, 0, len(r.ring))
	for i := range r.ring {
		out = append(out, r.ring[(r.oldest+i)%len(r.ring)].clone())
	}
	return out
}

// Dropped returns how many exchanges were dropped to keep the recorder
// within its limit since New or Reset.
func (g *Gateway) Dropped() int {
	if g.rec == nil {
		return 0
	}
	g.rec.mu.Lock()
	defer g.rec.mu.Unlock()
	return g.rec.dropped
}

// Reset forgets every recorded exchange and the dropped count, and
// numbers exchanges from 1 again.
func (g *Gateway) Reset() {
	if g.rec == nil {
		return
	}
	g.rec.mu.Lock()
	defer g.rec.mu.Unlock()
	g.rec.ring, g.rec.oldest, g.rec.dropped, g.rec.seq = nil, 0, 0, 0
}

// clone copies ex deeply, so a caller may change what it gets.
func (ex Exchange) clone() Exchange {
	ex.Headers = ex.Headers.Clone()
	ex.Body = slices.Clone(ex.Body)
	ex.Payload = slices.Clone(ex.Payload)
	ex.Checks = slices.Clone(ex.Checks)
	ex.Answer = slices.Clone(ex.Answer)
	ex.ResponseIV = slices.Clone(ex.ResponseIV)
	return ex
}

// capped copies b, cut at RecordedBytes, and reports whether it cut.
func capped(b []byte) ([]byte, bool) {
	if b == nil {
		return nil, false
	}
	if len(b) > RecordedBytes {
		return slices.Clone(b[:RecordedBytes]), true
	}
	return slices.Clone(b), false
}

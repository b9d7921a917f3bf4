package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// Route is one API path under load.
type Route struct {
	Method      string          // HTTP method; "" means POST
	Path        string          // API path, starting with "/"
	Payload     json.RawMessage // payload template; see Placeholders
	ExpectField string          // a member the opened answer must hold; "" for none
	Weight      int             // share of the requests against the other routes; 0 means 1
}

// RoutesFromProfile returns the load routes of a profile's routes.
func RoutesFromProfile(rs []profiles.Route) []Route {
	out := make([]Route, len(rs))
	for i, r := range rs {
		out[i] = Route{Method: r.Method, Path: r.Path, Payload: r.Payload,
			ExpectField: r.ExpectField, Weight: r.Weight}
	}
	return out
}

// Client is a client whose credentials and codec sign requests. Its
// codec also opens the answers to them.
type Client struct {
	Name  string
	Cred  envelope.Credentials
	Codec *envelope.Codec
}

// maxTotalWeight bounds the sum of route weights, so that picking a
// route by multiplication cannot overflow.
const maxTotalWeight = 1 << 31

// A Targeter builds the requests of an attack: every call of
// [Targeter.Target] seals a fresh request. Create it with [NewTargeter];
// it is safe for concurrent use.
//
// Requests go round the routes in proportion to their weights, spread
// evenly rather than in runs, and each full round of routes goes to the
// next client. A request's sequence number (the seq placeholder) counts
// from the first number and step of [Numbering].
type Targeter struct {
	routes  []route
	clients []client
	order   schedule
	next    atomic.Uint64 // requests built so far
	first   uint64        // sequence number of the first request
	step    uint64        // between two sequence numbers
	now     func() time.Time
	scratch sync.Pool // *scratch
}

// route is a Route made ready: full URL and parsed template.
type route struct {
	method, url string
	key         routeKey // method and URL path, as the answer's request shows them
	tmpl        template
	expect      string
}

// routeKey identifies a route by what a request carries.
type routeKey struct{ method, path string }

// client is a Client with its pass_key header value built once.
type client struct {
	Client
	passKey []string
}

// scratch is one goroutine's working space while it builds a request.
type scratch struct {
	payload []byte
	sealed  envelope.Request
}

// TargeterOption changes a Targeter made by [NewTargeter].
type TargeterOption func(*Targeter)

// Numbering makes the sequence numbers first, first+step, first+2*step
// and so on; the default is 0, 1, 2... [ForShard] sets it for a shard.
func Numbering(first, step uint64) TargeterOption {
	return func(t *Targeter) { t.first, t.step = first, max(step, 1) }
}

// ForShard numbers requests for shard s, so that the sequence numbers of
// all shards of a run are distinct: shard i of N uses i, i+N, i+2N...
func ForShard(s Shard) TargeterOption {
	s = s.orWhole()
	return Numbering(uint64(s.Index), uint64(s.Count))
}

// Clock sets the clock of the now and unix placeholders; the default is
// time.Now. The epoch of header_secrets comes from each codec's clock.
func Clock(now func() time.Time) TargeterOption {
	return func(t *Targeter) {
		if now != nil {
			t.now = now
		}
	}
}

// NewTargeter returns a targeter for the routes of the gateway at
// baseURL, signed in turn by clients. Every problem is reported at once.
func NewTargeter(baseURL string, routes []Route, clients []Client,
	opts ...TargeterOption) (*Targeter, error) {
	t := &Targeter{step: 1, now: time.Now}
	var errs []error
	if err := checkBaseURL(baseURL); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, t.addRoutes(baseURL, routes)...)
	errs = append(errs, t.addClients(clients)...)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	for _, o := range opts {
		o(t)
	}
	t.scratch.New = func() any { return &scratch{payload: make([]byte, 0, 256)} }
	return t, nil
}

// checkBaseURL requires an absolute http or https URL.
func checkBaseURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q: want an http:// or https:// URL", base)
	}
	return nil
}

// addRoutes prepares routes and the schedule, returning every problem.
func (t *Targeter) addRoutes(base string, routes []Route) []error {
	if len(routes) == 0 {
		return []error{errors.New("routes: none given")}
	}
	var errs []error
	weights := make([]int, len(routes))
	for i, r := range routes {
		rt, err := newRoute(base, r)
		if err != nil {
			errs = append(errs, fmt.Errorf("route %s: %w", r.Path, err))
		}
		t.routes = append(t.routes, rt)
		weights[i] = max(r.Weight, 1)
	}
	order, err := newSchedule(weights)
	if err != nil {
		errs = append(errs, err)
	}
	t.order = order
	return errs
}

// newRoute prepares one route.
func newRoute(base string, r Route) (route, error) {
	if !strings.HasPrefix(r.Path, "/") {
		return route{}, errors.New("path must start with /")
	}
	if r.Weight < 0 {
		return route{}, errors.New("weight must not be negative")
	}
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodPost
	}
	full := strings.TrimRight(base, "/") + r.Path
	u, err := url.Parse(full)
	if err != nil {
		return route{}, fmt.Errorf("path does not make a URL: %v", err)
	}
	payload := r.Payload
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	tmpl, err := parseTemplate(payload)
	if err != nil {
		return route{}, fmt.Errorf("payload: %w", err)
	}
	return route{method: method, url: full, key: routeKey{method, u.Path}, tmpl: tmpl,
		expect: r.ExpectField}, nil
}

// addClients keeps the clients, returning every problem.
func (t *Targeter) addClients(clients []Client) []error {
	if len(clients) == 0 {
		return []error{errors.New("clients: none given")}
	}
	var errs []error
	seen := map[string]bool{}
	for _, c := range clients {
		switch {
		case c.Codec == nil:
			errs = append(errs, fmt.Errorf("client %s: no codec", c.Name))
		case c.Cred.PassKey == "":
			errs = append(errs, fmt.Errorf("client %s: empty pass key", c.Name))
		case seen[c.Cred.PassKey]:
			errs = append(errs, fmt.Errorf("client %s: pass key shared with another client", c.Name))
		}
		seen[c.Cred.PassKey] = true
		t.clients = append(t.clients, client{Client: c, passKey: []string{c.Cred.PassKey}})
	}
	return errs
}

// contentType is the Content-Type header value of every request.
var contentType = []string{envelope.ContentTypeJSON}

// Target fills tgt with the next request: a payload rendered from its
// route's template, sealed with fresh header secrets (the codec clock's
// current epoch and a fresh IV) and a fresh IV for the body. Its method
// value t.Target is a vegeta.Targeter.
//
// Buffers: the payload is rendered and sealed in per-goroutine scratch
// space that is reused, because those bytes are done with once sealing
// returns. What goes into tgt is not: Vegeta reads tgt.Body while it
// sends the request, after Target has returned, and no call tells when
// that is over. So the body is copied once into its own array, and the
// header_secrets token once into its string; both then belong to Vegeta.
// The pass_key and Content-Type values are shared by every target,
// which is safe as Vegeta only reads them (it copies headers into each
// http.Request).
func (t *Targeter) Target(tgt *vegeta.Target) error {
	n := t.next.Add(1) - 1
	r := &t.routes[t.order.route(n)]
	c := &t.clients[(n/t.order.total)%uint64(len(t.clients))]
	s := t.scratch.Get().(*scratch)
	defer t.scratch.Put(s)
	s.payload = r.tmpl.render(s.payload[:0], t.first+n*t.step, t.now())
	if err := c.Codec.SealRequest(&s.sealed, c.Cred, s.payload); err != nil {
		return fmt.Errorf("load: sealing a request to %s: %w", r.url, err)
	}
	tgt.Method, tgt.URL = r.method, r.url
	tgt.Body = bytes.Clone(s.sealed.Body)
	// Lower-case names, stored as written, as envelope.SetHeaders does.
	tgt.Header = http.Header{
		envelope.HeaderPassKey:     c.passKey,
		envelope.HeaderSecretsName: {string(s.sealed.HeaderSecrets)},
		"Content-Type":             contentType,
	}
	return nil
}

// Built returns how many requests the targeter has built.
func (t *Targeter) Built() uint64 { return t.next.Load() }

// schedule spreads requests over routes in proportion to their weights.
// Request n takes position p = n mod total in a cycle of total slots;
// slots are handed to routes in blocks of their weights, and position p
// reads slot p*stride mod total. As stride and total are coprime, every
// cycle visits each slot once, so each route gets exactly its weight per
// cycle; a stride near total times the golden ratio's inverse scatters
// a route's slots over the cycle instead of sending them in a run.
type schedule struct {
	total, stride uint64
	bounds        []uint64 // bounds[i] is the first slot after route i's
}

func newSchedule(weights []int) (schedule, error) {
	s := schedule{}
	for _, w := range weights {
		s.total += uint64(w)
		s.bounds = append(s.bounds, s.total)
	}
	if s.total > maxTotalWeight {
		return schedule{}, fmt.Errorf("routes: weights add up to %d, more than %d",
			s.total, maxTotalWeight)
	}
	s.stride = max(1, uint64(float64(s.total)*0.618+0.5))
	for gcd(s.stride, s.total) != 1 {
		s.stride++
	}
	return s, nil
}

// route returns the index of the route of request n.
func (s schedule) route(n uint64) int {
	slot := (n % s.total) * s.stride % s.total
	for i, b := range s.bounds {
		if slot < b {
			return i
		}
	}
	return len(s.bounds) - 1 // unreachable: the last bound is total
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

package mockgateway

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// Gateway is the mock gateway, an http.Handler. Make it with [New]; it
// is safe for concurrent use.
type Gateway struct {
	scheme      envelope.Scheme
	clients     []*client
	window      int64 // EpochWindow in seconds
	skew        int64 // MaxFutureSkew in seconds
	maxBody     int64
	bodyTimeout time.Duration      // for the server Start makes
	routes      map[string][]route // by path; read-only after New
	clock       func() time.Time
	log         *slog.Logger
	replay      *replayStore // nil when replay detection is off
	rec         *recorder    // nil when recording is off
	faults      *faultPlan   // nil when no fault is configured
	scripts     scriptBook
	calls       sync.Pool // *call
}

// route is one method of a path with its answer.
type route struct {
	method string
	answer Answer
}

// New checks cfg and returns a gateway. The error is a *ConfigError
// listing every problem.
func New(cfg Config) (*Gateway, error) {
	var p problems
	scheme, err := envelope.ParseScheme(string(cfg.Scheme))
	if err != nil {
		p.add("Scheme", "unknown scheme %q (want %s or %s)", cfg.Scheme, envelope.CBC, envelope.GCM)
		scheme = envelope.CBC
	}
	g := &Gateway{scheme: scheme}
	g.clients = buildClients(cfg.Clients, scheme, &p)
	g.window = p.seconds("EpochWindow", cfg.EpochWindow, DefaultEpochWindow)
	if cfg.MaxFutureSkew != NoFutureSkew {
		g.skew = p.seconds("MaxFutureSkew", cfg.MaxFutureSkew, DefaultMaxFutureSkew)
	}
	if g.maxBody = cmp.Or(cfg.MaxBodyBytes, DefaultMaxBodyBytes); g.maxBody < 0 {
		p.add("MaxBodyBytes", "must not be negative")
	}
	g.routes = buildRoutes(cfg.Routes, &p)
	p.checkFaults(cfg.Faults)
	if g.bodyTimeout = cmp.Or(cfg.BodyReadTimeout, DefaultBodyReadTimeout); g.bodyTimeout < 0 {
		p.add("BodyReadTimeout", "must not be negative")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	g.setOptional(cfg)
	return g, nil
}

// setOptional fills the parts of g that have defaults or may be off.
func (g *Gateway) setOptional(cfg Config) {
	g.clock, g.log = cfg.Clock, cfg.Logger
	if g.clock == nil {
		g.clock = time.Now
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if cfg.ReplayDetection {
		g.replay = newReplayStore()
	}
	if limit := cmp.Or(cfg.RecorderLimit, DefaultRecorderLimit); limit > 0 {
		g.rec = &recorder{limit: limit}
	}
	if cfg.Faults != (Faults{}) {
		g.faults = newFaultPlan(cfg.Faults)
	}
	g.calls.New = func() any { return newCall() }
}

// buildRoutes checks the declared routes and returns them with the
// built-in echo, which a declared POST on EchoPath replaces.
func buildRoutes(cfg []Route, p *problems) map[string][]route {
	routes := map[string][]route{
		EchoPath: {{method: http.MethodPost, answer: Answer{Status: http.StatusOK}}},
	}
	first := map[string]int{}
	for i, rt := range cfg {
		at := "Routes[" + strconv.Itoa(i) + "]"
		r, ok := checkRoute(at, rt, p)
		key := r.method + " " + rt.Path
		if j, dup := first[key]; dup {
			p.add(at, "same path and method as Routes[%d]", j)
			continue
		}
		first[key] = i
		if ok {
			routes[rt.Path] = putRoute(routes[rt.Path], r)
		}
	}
	return routes
}

// checkRoute checks one declared route and converts it.
func checkRoute(at string, rt Route, p *problems) (route, bool) {
	n := len(*p)
	switch {
	case !strings.HasPrefix(rt.Path, "/"):
		p.add(at+".Path", `must start with "/"`)
	case strings.ContainsFunc(rt.Path, notInPath):
		p.add(at+".Path", "must be a path without spaces, query or fragment")
	}
	method := strings.ToUpper(cmp.Or(rt.Method, http.MethodPost))
	if strings.ContainsFunc(method, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		p.add(at+".Method", "not an HTTP method")
	}
	a, err := Answer{Status: rt.Status, JSON: rt.Answer}.prepare()
	if err != nil {
		p.add(at, "%v", err)
	}
	return route{method: method, answer: a}, len(*p) == n
}

// notInPath reports whether r may not appear in a route's path.
func notInPath(r rune) bool { return r <= ' ' || r == 0x7f || r == '?' || r == '#' }

// putRoute adds r to the routes of one path, replacing the one with the
// same method.
func putRoute(list []route, r route) []route {
	for i := range list {
		if list[i].method == r.method {
			list[i] = r
			return list
		}
	}
	return append(list, r)
}

// ServeHTTP runs the checks of PROTOCOL.md section 6 on the call and
// answers it, then records and logs the exchange.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := g.calls.Get().(*call)
	c.begin(w, r)
	defer g.end(c)
	c.now = g.clock()
	if g.faults != nil && g.inject(c) {
		return
	}
	if k := g.runChecks(c); k != 0 {
		g.fail(c, k)
		return
	}
	g.respond(c)
}

// inject delays the call and applies the fault drawn for it, if any; it
// reports whether the call is over.
func (g *Gateway) inject(c *call) bool {
	g.faults.wait(c.r.Context())
	c.fault = g.faults.draw()
	switch c.fault {
	case faultDrop:
		g.finish(c)
		drop(c.w)
		return true
	case faultError:
		g.fail(c, kindInjected)
		return true
	}
	return false
}

// end runs after every call: it turns a panic into a 500, records and
// logs the call if that was not done yet, and recycles it. A call that
// panicked is not recycled.
func (g *Gateway) end(c *call) {
	v := recover()
	if v == http.ErrAbortHandler {
		g.finish(c)
		panic(v)
	}
	if v != nil {
		c.panicked = panicText(v)
		if c.status == 0 {
			g.fail(c, kindInternal)
		}
	}
	g.finish(c)
	if v == nil {
		c.release()
		g.calls.Put(c)
	}
}

// panicText describes a recovered value without its content, which might
// hold a secret; runtime errors are the gateway's own and are kept.
func panicText(v any) string {
	if err, ok := v.(runtime.Error); ok {
		return err.Error()
	}
	return fmt.Sprintf("%T", v)
}

package profiles

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Problem is one fault of a profile. Its cause never quotes the value at
// fault, so a secret pasted into the wrong field stays out of messages.
type Problem struct {
	// Path names the field, such as "routes[2].path" or
	// "clients.peer.key_env"; "(document)" is the document as a whole.
	Path string
	// Line is the line of the field in the document, 0 when the field was
	// not written there (a default, or a profile built in code).
	Line int
	// Cause says what is wrong and, where it helps, what is wanted.
	Cause string
}

// String formats the problem as "path: cause", with the line when known.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s: %s", p.Line, p.Path, p.Cause)
	}
	return p.Path + ": " + p.Cause
}

// ValidationError lists every problem of a profile, in document order.
type ValidationError struct {
	// Source names the profile: its file name, or "profile NAME" for a
	// profile checked with Validate.
	Source   string
	Problems []Problem
}

// Error returns one line per problem, each starting with the source.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.Source + ": " + p.String()
	}
	return strings.Join(lines, "\n")
}

// newValidationError orders problems by line; those without a line last.
func newValidationError(source string, problems []Problem) *ValidationError {
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i].Line, problems[j].Line
		return a != 0 && (b == 0 || a < b)
	})
	return &ValidationError{Source: source, Problems: problems}
}

// Validate checks every field of the profile and returns a
// *ValidationError listing all problems, or nil. Parse and Load call it;
// call it after building or changing a Profile in code.
func (p *Profile) Validate() error {
	problems := p.check(nil)
	if len(problems) == 0 {
		return nil
	}
	return newValidationError("profile "+p.Name, problems)
}

// Accepted names and shapes.
var (
	schemes      = map[string]bool{"aes-256-cbc": true, "aes-256-gcm": true}
	keyEncodings = map[string]bool{"base64": true, "raw": true}
	methods      = map[string]bool{
		"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	}
	checkID    = regexp.MustCompile(`^G-[1-9][0-9]*\.[1-9][0-9]*$`)
	clientName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	envName    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// checker collects problems; lines points them into the document.
type checker struct {
	lines    map[string]int
	problems []Problem
}

func (c *checker) add(path, cause string) {
	c.problems = append(c.problems, Problem{Path: path, Line: c.lines[path], Cause: cause})
}

// check returns every problem of p; lines maps field paths to their lines
// and may be nil.
func (p *Profile) check(lines map[string]int) []Problem {
	c := &checker{lines: lines}
	c.header(p)
	c.durations(p)
	c.routes(p)
	c.errors(p.Errors)
	c.clients(p.Clients)
	return c.problems
}

// header checks the scalar settings of the target.
func (c *checker) header(p *Profile) {
	if strings.TrimSpace(p.Name) == "" {
		c.add("name", "required")
	}
	if p.Target != "" {
		if cause := targetProblem(p.Target); cause != "" {
			c.add("target", cause)
		}
	}
	if !schemes[p.Scheme] {
		c.add("scheme", "unknown scheme (want aes-256-cbc or aes-256-gcm)")
	}
	if !keyEncodings[p.KeyEncoding] {
		c.add("key_encoding", "unknown key encoding (want base64 or raw)")
	}
	if p.MaxBodyBytes < 1 {
		c.add("max_body_bytes", "must be at least 1")
	}
}

// targetProblem returns what is wrong with a base URL, or "".
func targetProblem(target string) string {
	u, err := url.Parse(target)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "want an http:// or https:// URL, or empty for the bundled mock"
	case u.Host == "":
		return "the URL has no host"
	case u.User != nil:
		return "the URL must not carry a user or password; " +
			"secrets come from environment variables"
	case u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(target, "?#"):
		return "the URL must not have a query or a fragment"
	}
	return ""
}

// durations checks the epoch window, the future skew and the clock margin.
func (c *checker) durations(p *Profile) {
	switch {
	case p.EpochWindow <= 0:
		c.add("epoch_window", "must be positive")
	case p.EpochWindow%time.Second != 0:
		c.add("epoch_window", "must be whole seconds, as epochs are")
	}
	switch {
	case p.MaxFutureSkew < 0:
		c.add("max_future_skew", "must not be negative")
	case p.MaxFutureSkew%time.Second != 0:
		c.add("max_future_skew", "must be whole seconds, as epochs are")
	}
	switch {
	case p.ClockMargin < 0:
		c.add("clock_margin", "must not be negative")
	case p.EpochWindow > 0 && p.ClockMargin >= p.EpochWindow:
		c.add("clock_margin", "must be smaller than epoch_window")
	}
}

// routes checks each route, that no path is served twice and that the
// unknown path is not a route.
func (c *checker) routes(p *Profile) {
	if len(p.Routes) == 0 {
		c.add("routes", "at least one route is required")
	}
	first := map[string]int{}
	for i, r := range p.Routes {
		at := "routes[" + strconv.Itoa(i) + "]"
		c.route(at, r)
		if j, dup := first[r.Path]; dup && r.Path != "" {
			c.add(at+".path", fmt.Sprintf("same path as routes[%d]", j))
		} else if !dup {
			first[r.Path] = i
		}
	}
	if cause := pathProblem(p.UnknownPath); cause != "" {
		c.add("unknown_path", cause)
	} else if j, ok := first[p.UnknownPath]; ok {
		c.add("unknown_path", fmt.Sprintf("is the path of routes[%d]; "+
			"it must be a path the target does not serve", j))
	}
}

// route checks the fields of one route.
func (c *checker) route(at string, r Route) {
	if cause := pathProblem(r.Path); cause != "" {
		c.add(at+".path", cause)
	}
	if !methods[r.Method] {
		c.add(at+".method", "unknown method (want POST, GET, PUT, PATCH or DELETE)")
	}
	if !json.Valid(r.Payload) {
		c.add(at+".payload", "must be a JSON value")
	}
	if r.Weight < 1 {
		c.add(at+".weight", "must be at least 1")
	}
	if r.Status < 100 || r.Status > 599 {
		c.add(at+".status", "must be an HTTP status in 100..599")
	}
	if r.Answer != nil {
		c.answer(at, r)
	}
}

// answer checks a route's mock answer, and that it holds the field the
// route expects.
func (c *checker) answer(at string, r Route) {
	if !json.Valid(r.Answer) {
		c.add(at+".answer", "must be a JSON value")
		return
	}
	if r.ExpectField == "" {
		return
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(r.Answer, &members) != nil || members[r.ExpectField] == nil {
		c.add(at+".answer", "must be an object holding the member named by expect_field")
	}
}

// pathProblem returns what is wrong with an API path, or "".
func pathProblem(path string) string {
	switch {
	case path == "":
		return "required"
	case !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//"):
		return `must start with a single "/"`
	case strings.ContainsAny(path, "?#"):
		return "must be a path only, without a query or a fragment"
	case strings.IndexFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return "must not contain spaces or control characters"
	}
	return ""
}

// errors checks the error expectations.
func (c *checker) errors(expect map[string]ErrorExpectation) {
	for _, id := range slices.Sorted(maps.Keys(expect)) {
		at, e := "errors."+id, expect[id]
		if !checkID.MatchString(id) {
			c.add(at, "not a gateway check id such as G-6.1")
		}
		switch {
		case e.Status == 0 && e.Text == "":
			c.add(at, "give status, text or both")
		case e.Status == 0:
		case e.Status < 100 || e.Status > 599:
			c.add(at+".status", "must be an HTTP status in 100..599")
		case e.Status < 300:
			c.add(at+".status", "a failure answer has a status of 300 or more")
		}
	}
}

// clients checks the client names and that every variable name is valid
// and used once in the whole profile.
func (c *checker) clients(clients map[string]ClientRef) {
	if _, ok := clients[Primary]; !ok {
		c.add("clients."+Primary, "required")
	}
	used := map[string]string{}
	for _, name := range clientOrder(clients) {
		at := "clients." + name
		if !clientName.MatchString(name) {
			c.add(at, "a client name is lower-case letters, digits, - and _")
		}
		for _, v := range clients[name].vars() {
			c.variable(at+"."+v.field, v.env, used)
		}
	}
}

// clientOrder lists the primary, then the peer, then the other clients by
// name, so that a variable used twice is reported where it was reused.
func clientOrder(clients map[string]ClientRef) []string {
	names := slices.SortedFunc(maps.Keys(clients), func(a, b string) int {
		return cmp.Or(cmp.Compare(clientRank(a), clientRank(b)), cmp.Compare(a, b))
	})
	return names
}

// clientRank orders the two known clients before the others.
func clientRank(name string) int {
	switch name {
	case Primary:
		return 0
	case Peer:
		return 1
	}
	return 2
}

// secretLikeName is the length from which a variable name without an
// underscore is taken for a pasted secret: a base32 pass key or a hex
// key or client secret passes the syntax of a name, and would then be
// printed in every "variable not set" message.
const secretLikeName = 24

// variable checks one environment variable name; used maps the names seen
// so far to the field that used them.
func (c *checker) variable(path, env string, used map[string]string) {
	switch {
	case env == "":
		c.add(path, "required: the name of an environment variable")
	case !envName.MatchString(env):
		c.add(path, "not an environment variable name "+
			"(letters, digits and _, not starting with a digit)")
	case len(env) >= secretLikeName && !strings.Contains(env, "_"):
		c.add(path, fmt.Sprintf("%d characters without an underscore: this looks like a "+
			"pasted secret, not the name of an environment variable", len(env)))
	case used[env] != "":
		c.add(path, "same variable as "+used[env]+"; each credential needs its own")
	default:
		used[env] = path
	}
}

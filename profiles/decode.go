package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// parseYAML reads exactly one YAML document and returns its top node.
func parseYAML(data []byte, source string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("profile %s: %w", source, errEmpty)
		}
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("profile %s: holds more than one YAML document", source)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("profile %s: %w", source, errEmpty)
	}
	return doc.Content[0], nil
}

// errEmpty is returned for a document with no content.
var errEmpty = errors.New("empty document")

// setter decodes the value node of one field into its destination; at is
// the field's path for problems.
type setter func(n *yaml.Node, at string)

// decoder walks the YAML tree of a profile, fills a Profile and collects
// every problem it meets instead of stopping at the first.
type decoder struct {
	problems []Problem
	// lines maps a field path to the line of its value, so that problems
	// found after decoding can still point into the document.
	lines map[string]int
	// jsonRoom is what is left of maxJSONBytes for the sample values not
	// converted yet.
	jsonRoom int
}

// newDecoder returns a decoder with no problems yet.
func newDecoder() *decoder {
	return &decoder{lines: map[string]int{}, jsonRoom: maxJSONBytes}
}

// fail records a problem at the given node.
func (d *decoder) fail(n *yaml.Node, at, cause string) {
	d.problems = append(d.problems, Problem{Path: at, Line: n.Line, Cause: cause})
}

// profile decodes the top node into p, which holds the defaults.
func (d *decoder) profile(n *yaml.Node, p *Profile) {
	d.mapping(n, "", map[string]setter{
		"name":             d.str(&p.Name),
		"target":           d.str(&p.Target),
		"scheme":           d.str(&p.Scheme),
		"key_encoding":     d.str(&p.KeyEncoding),
		"epoch_window":     d.duration(&p.EpochWindow),
		"max_future_skew":  d.duration(&p.MaxFutureSkew),
		"clock_margin":     d.duration(&p.ClockMargin),
		"strict":           d.boolean(&p.Strict),
		"replay_detection": d.boolean(&p.ReplayDetection),
		"max_body_bytes":   d.int64(&p.MaxBodyBytes),
		"routes":           d.routes(&p.Routes),
		"unknown_path":     d.str(&p.UnknownPath),
		"errors":           d.errors(&p.Errors),
		"clients":          d.clients(p.Clients),
	})
}

// route returns the fields of one entry of routes.
func (d *decoder) route(r *Route) map[string]setter {
	return map[string]setter{
		"path":         d.str(&r.Path),
		"method":       d.str(&r.Method),
		"payload":      d.json(&r.Payload),
		"expect_field": d.str(&r.ExpectField),
		"weight":       d.integer(&r.Weight),
		"status":       d.integer(&r.Status),
		"answer":       d.json(&r.Answer),
	}
}

// client returns the fields of one entry of clients. Fields that would
// hold a credential itself are known, so that they get a message saying
// where credentials belong rather than "unknown field".
func (d *decoder) client(c *ClientRef) map[string]setter {
	return map[string]setter{
		"pass_key_env":      d.str(&c.PassKeyEnv),
		"client_id_env":     d.str(&c.ClientIDEnv),
		"client_secret_env": d.str(&c.ClientSecretEnv),
		"key_env":           d.str(&c.KeyEnv),
		"pass_key":          d.credential("pass_key_env"),
		"client_id":         d.credential("client_id_env"),
		"client_secret":     d.credential("client_secret_env"),
		"key":               d.credential("key_env"),
		"secret":            d.credential("client_secret_env"),
		"password":          d.credential("client_secret_env"),
	}
}

// credential rejects a credential written into the profile. The value is
// never read, so it cannot reach a message.
func (d *decoder) credential(instead string) setter {
	return func(n *yaml.Node, at string) {
		d.fail(n, at, "secrets come from environment variables, never from the "+
			"profile: remove the value and name its variable in "+instead)
	}
}

// mapping decodes a mapping whose keys are the given fields.
func (d *decoder) mapping(n *yaml.Node, at string, fields map[string]setter) {
	d.entries(n, at, func(key string, k, v *yaml.Node, path string) {
		set, ok := fields[key]
		if !ok {
			d.fail(k, path, "unknown field")
			return
		}
		set(v, path)
	})
}

// entryFunc handles one entry of a mapping: its key as text, the key and
// value nodes, and the entry's path.
type entryFunc func(key string, k, v *yaml.Node, path string)

// entries calls each for every entry of a mapping, after checking that the
// node is a mapping and that no key is given twice.
func (d *decoder) entries(n *yaml.Node, at string, each entryFunc) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, orDocument(at), "want a mapping")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		path := join(at, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.fail(k, orDocument(at), "a key must be a plain name")
			continue
		}
		if seen[k.Value] {
			d.fail(k, path, "given more than once")
			continue
		}
		seen[k.Value] = true
		d.lines[path] = v.Line
		each(k.Value, k, v, path)
	}
}

// routes decodes the list of routes; an empty list keeps the default.
func (d *decoder) routes(dst *[]Route) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, at, "want a list of routes")
			return
		}
		routes := make([]Route, 0, len(n.Content))
		for i, item := range n.Content {
			r := newRoute()
			path := fmt.Sprintf("%s[%d]", at, i)
			item = resolve(item)
			d.lines[path] = item.Line
			d.mapping(item, path, d.route(&r))
			routes = append(routes, r)
		}
		*dst = routes
	}
}

// errors decodes the error expectations, keyed by check id.
func (d *decoder) errors(dst *map[string]ErrorExpectation) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		*dst = map[string]ErrorExpectation{}
		d.entries(n, at, func(id string, _, v *yaml.Node, path string) {
			var e ErrorExpectation
			d.mapping(v, path, map[string]setter{
				"status": d.integer(&e.Status),
				"text":   d.str(&e.Text),
			})
			(*dst)[id] = e
		})
	}
}

// clients decodes the client entries over the defaults already in dst.
func (d *decoder) clients(dst map[string]ClientRef) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		d.entries(n, at, func(name string, _, v *yaml.Node, path string) {
			c := defaultClient(name)
			if !isNull(v) {
				d.mapping(v, path, d.client(&c))
			}
			dst[name] = c
		})
	}
}

// str decodes any scalar as its text. Null keeps the default.
func (d *decoder) str(dst *string) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		if n.Kind != yaml.ScalarNode {
			d.fail(n, at, "want a string")
			return
		}
		*dst = n.Value
	}
}

// integer decodes an int. Null keeps the default.
func (d *decoder) integer(dst *int) setter {
	return func(n *yaml.Node, at string) {
		var v int64
		if !d.whole(n, at, &v) {
			return
		}
		if v < math.MinInt32 || v > math.MaxInt32 {
			d.fail(n, at, "number out of range")
			return
		}
		*dst = int(v)
	}
}

// int64 decodes an int64. Null keeps the default.
func (d *decoder) int64(dst *int64) setter {
	return func(n *yaml.Node, at string) {
		d.whole(n, at, dst)
	}
}

// whole decodes an integer scalar into dst and reports whether it did.
func (d *decoder) whole(n *yaml.Node, at string, dst *int64) bool {
	if isNull(n) {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(dst) != nil {
		d.fail(n, at, "want a whole number")
		return false
	}
	return true
}

// boolean decodes true or false. Null keeps the default.
func (d *decoder) boolean(dst *bool) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(dst) != nil {
			d.fail(n, at, "want true or false")
		}
	}
}

// duration decodes a Go duration such as 300s or 5m. Null keeps the
// default.
func (d *decoder) duration(dst *time.Duration) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		v, err := time.ParseDuration(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.fail(n, at, "want a duration with its unit, such as 300s or 5m")
			return
		}
		*dst = v
	}
}

// json converts any YAML value to compact JSON. Null keeps the default.
func (d *decoder) json(dst *json.RawMessage) setter {
	return func(n *yaml.Node, at string) {
		if isNull(n) {
			return
		}
		out, line, err := toJSON(n, d.jsonRoom)
		if err != nil {
			d.problems = append(d.problems, Problem{Path: at, Line: line, Cause: err.Error()})
			return
		}
		d.jsonRoom -= len(out)
		*dst = out
	}
}

// unrepeated drops the problems found at a field, or inside a field, that
// already failed to decode: validating what was left of it would only
// repeat the problem.
func (d *decoder) unrepeated(checked []Problem) []Problem {
	var kept []Problem
	for _, c := range checked {
		if !d.failedAt(c.Path) {
			kept = append(kept, c)
		}
	}
	return kept
}

// failedAt reports whether decoding failed at path or at a field holding it.
func (d *decoder) failedAt(path string) bool {
	for _, p := range d.problems {
		if path == p.Path || strings.HasPrefix(path, p.Path+".") ||
			strings.HasPrefix(path, p.Path+"[") {
			return true
		}
	}
	return false
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether a node is YAML's null, written or left empty.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// join appends a field name to a path.
func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// orDocument names the top of the document in a path.
func orDocument(at string) string {
	if at == "" {
		return "(document)"
	}
	return at
}

package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// maxJSONNodes bounds the nodes one sample value may expand to, aliases
// counted each time they are followed, so that an alias that refers to
// itself cannot loop. maxJSONBytes bounds the JSON of all the samples
// (payloads and answers) of one profile together: a count of nodes alone
// lets a few kilobytes of nested aliases to one long string expand to
// hundreds of megabytes, or many routes share one large alias.
const (
	maxJSONNodes = 100_000
	maxJSONBytes = 4 << 20
)

// errTooLarge is returned for a sample that goes past either bound.
var errTooLarge = fmt.Errorf("value too large (at most %d values, and %d MiB of JSON "+
	"for all samples of a profile together), or an alias refers to itself",
	maxJSONNodes, maxJSONBytes>>20)

// jsonWriter writes a YAML value as compact JSON, keeping the order of
// mapping keys as written.
type jsonWriter struct {
	buf   bytes.Buffer
	nodes int
	// room is how much JSON the value may take.
	room int
	// line is the line of the node that failed, for the problem.
	line int
}

// toJSON converts a YAML value to compact JSON of at most about room
// bytes. On failure it returns the line of the offending node.
func toJSON(n *yaml.Node, room int) (json.RawMessage, int, error) {
	w := &jsonWriter{room: room}
	if err := w.value(n); err != nil {
		return nil, w.line, err
	}
	return w.buf.Bytes(), 0, nil
}

// value writes one node of any kind. The bounds are checked before each
// node, so the JSON passes room by no more than one key and one scalar of
// the document and a few brackets.
func (w *jsonWriter) value(n *yaml.Node) error {
	n = resolve(n)
	w.line = n.Line
	w.nodes++
	if w.nodes > maxJSONNodes || w.buf.Len() > w.room {
		return errTooLarge
	}
	switch n.Kind {
	case yaml.MappingNode:
		return w.object(n)
	case yaml.SequenceNode:
		return w.array(n)
	case yaml.ScalarNode:
		return w.scalar(n)
	}
	return errors.New("value cannot be written as JSON")
}

// object writes a mapping as a JSON object; keys must be scalars and
// distinct.
func (w *jsonWriter) object(n *yaml.Node) error {
	seen := map[string]bool{}
	w.buf.WriteByte('{')
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		w.line = k.Line
		if k.Kind != yaml.ScalarNode {
			return errors.New("a JSON member name must be a plain value")
		}
		if seen[k.Value] {
			return errors.New("a member name is given more than once")
		}
		seen[k.Value] = true
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.text(k.Value)
		w.buf.WriteByte(':')
		if err := w.value(n.Content[i+1]); err != nil {
			return err
		}
	}
	w.buf.WriteByte('}')
	return nil
}

// array writes a sequence as a JSON array.
func (w *jsonWriter) array(n *yaml.Node) error {
	w.buf.WriteByte('[')
	for i, item := range n.Content {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		if err := w.value(item); err != nil {
			return err
		}
	}
	w.buf.WriteByte(']')
	return nil
}

// scalar writes null, a boolean, a number or a string according to the
// YAML tag. Every other tag (timestamps, binary) is written as its text.
func (w *jsonWriter) scalar(n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		w.buf.WriteString("null")
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return errors.New("value cannot be read as " + n.ShortTag()[2:])
		}
		out, err := json.Marshal(v)
		if err != nil {
			return errors.New("JSON has no infinite or not-a-number values")
		}
		w.buf.Write(out)
		return nil
	}
	w.text(n.Value)
	return nil
}

// text writes a JSON string. Marshaling a Go string cannot fail.
func (w *jsonWriter) text(s string) {
	enc := json.NewEncoder(&w.buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	w.buf.Truncate(w.buf.Len() - 1) // Encode ends with a newline
}

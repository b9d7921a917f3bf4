package profiles

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payloadOf parses a profile with one route whose payload is written as
// given, indented under the payload key.
func payloadOf(t *testing.T, yamlValue string) (string, error) {
	t.Helper()
	doc := "routes:\n  - path: /a\n    payload: " + yamlValue + "\n"
	p, err := Parse([]byte(doc), "payload.yaml")
	if err != nil {
		return "", err
	}
	return string(p.Routes[0].Payload), nil
}

func TestPayloadBecomesCompactJSON(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"flow mapping keeps order", `{"z": "1", "a": 2}`, `{"z":"1","a":2}`},
		{"block mapping", "\n      currency: INR\n      amount: \"10.00\"",
			`{"currency":"INR","amount":"10.00"}`},
		{"list", `[1, "two", 3.5, true, null]`, `[1,"two",3.5,true,null]`},
		{"string scalar", `"hello"`, `"hello"`},
		{"bare word is a string", `hello`, `"hello"`},
		{"number", `42`, `42`},
		{"negative float", `-0.25`, `-0.25`},
		{"hex int", `0x1F`, `31`},
		{"boolean", `false`, `false`},
		{"quoted number stays a string", `"007"`, `"007"`},
		{"date stays text", `2024-10-03`, `"2024-10-03"`},
		{"no HTML escaping", `{"note": "a<b & c>d"}`, `{"note":"a<b & c>d"}`},
		{"unicode", `{"name": "Zoë ₹"}`, `{"name":"Zoë ₹"}`},
		{"escapes", `{"q": "say \"hi\"\n"}`, `{"q":"say \"hi\"\n"}`},
		{"numeric key becomes a name", `{1: one}`, `{"1":"one"}`},
		{"nested", `{"a": {"b": [{"c": []}]}, "d": {}}`, `{"a":{"b":[{"c":[]}]},"d":{}}`},
		{"alias", "&x {\"n\": 1}", `{"n":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := payloadOf(t, tt.yaml)

			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPayloadThatIsNotJSON(t *testing.T) {
	tests := []struct {
		name, yaml, cause string
	}{
		{"infinity", `.inf`, "infinite"},
		{"not a number", `[1, .nan]`, "not-a-number"},
		{"list as key", `{[1, 2]: x}`, "member name"},
		{"member twice", `{"a": 1, "a": 2}`, "more than once"},
		{"alias refers to itself", `&loop [1, *loop]`, "alias refers to itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := payloadOf(t, tt.yaml)

			p := problemAt(t, problemsOf(t, err), "routes[0].payload")
			assert.Contains(t, p.Cause, tt.cause)
			assert.Equal(t, 3, p.Line)
		})
	}
}

func TestPayloadOfNestedAliasesIsBounded(t *testing.T) {
	// Each level refers to the one before ten times: 10^8 nodes if expanded.
	var b strings.Builder
	b.WriteString("\n      l0: &l0 [x, x, x, x, x, x, x, x, x, x]")
	for i := 1; i <= 8; i++ {
		prev := "*l" + string(rune('0'+i-1))
		b.WriteString("\n      l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [")
		b.WriteString(strings.Repeat(prev+", ", 9) + prev + "]")
	}

	_, err := payloadOf(t, b.String())

	p := problemAt(t, problemsOf(t, err), "routes[0].payload")
	assert.Contains(t, p.Cause, "too large")
}

// Few nodes can still be many bytes: nested aliases to one long string,
// or one large alias shared by many routes. Both stay under the node
// bound, so only the bound on bytes refuses them.
func TestSamplesAreBoundedInBytes(t *testing.T) {
	long := strings.Repeat("x", 2000)
	t.Run("nested aliases to a long string", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("\n      s: &l0 " + long)
		for i := 1; i <= 4; i++ {
			prev := "*l" + string(rune('0'+i-1))
			b.WriteString("\n      l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [")
			b.WriteString(strings.Repeat(prev+", ", 9) + prev + "]")
		}
		_, err := payloadOf(t, b.String()) // 10^4 copies of 2000 bytes: 20 MB
		p := problemAt(t, problemsOf(t, err), "routes[0].payload")
		assert.Contains(t, p.Cause, "4 MiB of JSON for all samples")
	})
	t.Run("one alias shared by many routes", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("routes:\n  - path: /r0\n    payload: &big [")
		b.WriteString(strings.Repeat(`"`+long+`", `, 299) + `"` + long + `"]`)
		for i := 1; i <= 9; i++ { // each route takes 600 KB: the seventh (index 6) passes 4 MiB
			b.WriteString("\n  - path: /r" + string(rune('0'+i)) + "\n    payload: *big")
		}
		_, err := Parse([]byte(b.String()+"\n"), "routes.yaml")
		problems := problemsOf(t, err)
		assert.Contains(t, problemAt(t, problems, "routes[6].payload").Cause, "too large")
		assert.Contains(t, problemAt(t, problems, "routes[9].payload").Cause, "too large")
		for _, p := range problems {
			assert.NotContains(t, []string{"routes[0].payload", "routes[5].payload"}, p.Path,
				"the first six routes fit")
		}
	})
}

func TestAnswerIsConvertedLikePayload(t *testing.T) {
	doc := "routes:\n  - path: /a\n    expect_field: ok\n    status: 201\n" +
		"    answer:\n      ok: true\n      items: [1, 2]\n"

	p, err := Parse([]byte(doc), "answer.yaml")

	require.NoError(t, err)
	assert.Equal(t, `{"ok":true,"items":[1,2]}`, string(p.Routes[0].Answer))
	assert.Equal(t, 201, p.Routes[0].Status)
}

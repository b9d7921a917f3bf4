package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultScenarioCoversWhatItPromises(t *testing.T) {
	steps := DefaultScenario()
	require.NoError(t, CheckSteps(steps))
	assert.GreaterOrEqual(t, len(steps), 20)

	paths := map[string]bool{}
	var has4xx, has5xx, hasEmpty, hasNonASCII, hasBulk, hasUnusual bool
	for _, st := range steps {
		paths[st.Path] = true
		has4xx = has4xx || st.Status >= 400 && st.Status < 500
		has5xx = has5xx || st.Status >= 500
		hasEmpty = hasEmpty || string(st.Payload) == "{}"
		hasNonASCII = hasNonASCII || !isASCII(st.Payload)
		hasBulk = hasBulk || len(st.Payload) > 60000 && len(st.Payload) < 64<<10
		hasUnusual = hasUnusual || is2xx(st.Status) && depth(st.Answer) >= 10 &&
			bytes.Contains(st.Answer, []byte(`\u`)) && bytes.Contains(st.Answer, []byte(`[]`))
		assertAmountsAreStrings(t, st.ID, st.Payload)
	}
	assert.GreaterOrEqual(t, len(paths), 3, "calls on several routes")
	for name, ok := range map[string]bool{"a plain 4xx": has4xx, "a plain 5xx": has5xx,
		"an empty object": hasEmpty, "non-ASCII text": hasNonASCII, "a payload near 64 KiB": hasBulk,
		"an answer of unusual JSON": hasUnusual} {
		assert.True(t, ok, "the scenario lacks %s", name)
	}
}

func isASCII(b []byte) bool { return utf8.Valid(b) && len(b) == len([]rune(string(b))) }

// depth returns how deeply a JSON document nests.
func depth(doc []byte) int {
	deepest, d := 0, 0
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			d++
			deepest = max(deepest, d)
		case json.Delim('}'), json.Delim(']'):
			d--
		}
	}
}

// assertAmountsAreStrings walks a payload: money travels as strings.
func assertAmountsAreStrings(t *testing.T, id string, payload []byte) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, m := range v {
				if k == "amount" || k == "fee" || k == "total" || k == "price" {
					_, ok := m.(string)
					assert.True(t, ok, "%s: %s must be a string", id, k)
				}
				walk(m)
			}
		case []any:
			for _, m := range v {
				walk(m)
			}
		}
	}
	var v any
	require.NoError(t, json.Unmarshal(payload, &v), id)
	walk(v)
}

func TestBulkPayloadIsExactlyItsSize(t *testing.T) {
	b := bulkPayload()
	assert.Len(t, b, BulkPayloadBytes)
	assert.True(t, json.Valid(b))
}

func TestStepLineIsOneJSONLine(t *testing.T) {
	st := DefaultScenario()[11]
	line := st.line()
	require.True(t, bytes.HasSuffix(line, []byte("\n")))
	assert.Equal(t, 1, bytes.Count(line, []byte("\n")), "a step is one line")
	var got struct {
		Step, Method, Path string
		Payload            json.RawMessage
	}
	require.NoError(t, json.Unmarshal(line, &got))
	assert.Equal(t, st.ID, got.Step)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, st.Path, got.Path)
	assert.Empty(t, jsonDiff(st.Payload, got.Payload))
}

func TestWantFollowsTheAnswer(t *testing.T) {
	echo := Step{Status: 200, Payload: json.RawMessage(`{"a":"1"}`)}
	status, body := echo.Want()
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"a":"1"}`, string(body), "an echo step reports its payload")
	plain := Step{Status: 422, Payload: json.RawMessage(`{}`), Answer: json.RawMessage(`{"x":1}`)}
	status, body = plain.Want()
	assert.Equal(t, 422, status)
	assert.JSONEq(t, `{"x":1}`, string(body))
}

func TestCheckStepsNamesEveryProblem(t *testing.T) {
	steps := []Step{
		{ID: "a", Method: "POST", Path: "/x", Status: 200, Payload: json.RawMessage(`{}`)},
		{ID: "a", Method: "POST", Path: "/x", Status: 200, Payload: json.RawMessage(`{`)},
		{ID: "b", Method: "POST", Path: "x", Status: 404, Payload: json.RawMessage(`{}`)},
		{ID: "c", Method: "POST", Path: "/x", Status: 99, Payload: json.RawMessage(`{}`)},
	}
	err := CheckSteps(steps)
	require.Error(t, err)
	for _, want := range []string{"step 1 (a): name empty or used twice", "payload is not JSON",
		`path not starting with "/"`, "status 404 needs an answer", "status 99: want 200..599"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.False(t, strings.Contains(err.Error(), "step 0"), "the first step is fine")
}

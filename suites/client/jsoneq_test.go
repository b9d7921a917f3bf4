package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestJSONDiff(t *testing.T) {
	cases := []struct {
		name, want, got, diff string
	}{
		{"member order is free", `{"a":"1","b":[1,2]}`, `{"b":[1,2],"a":"1"}`, ""},
		{"spacing is free", `{"a": {"b": null}}`, `{"a":{"b":null}}`, ""},
		{"number form is free", `{"n":10.00,"m":1E2,"k":-0.5}`, `{"n":10,"m":100,"k":-5e-1}`, ""},
		{"escapes are free", `{"s":"\u00e9\ud83d\ude00\/"}`, `{"s":"é😀/"}`, ""},
		{"a string is not a number", `{"amount":"10"}`, `{"amount":10}`,
			`$.amount: want "10", got 10`},
		{"a missing member", `{"a":"1","b":"2"}`, `{"a":"1"}`, `$.b: member missing (want "2")`},
		{"an extra member", `{"a":"1"}`, `{"a":"1","channel":"app"}`,
			`$.channel: unexpected member (got "app")`},
		{"deep in arrays", `{"l":[{"q":"2"},{"q":"1"}]}`, `{"l":[{"q":"2"},{"q":"3"}]}`,
			`$.l[1].q: want "1", got "3"`},
		{"array length", `[1,2,3]`, `[1,2]`, `$: want 3 items, got 2`},
		{"odd member names are quoted", `{"a b":true}`, `{"a b":false}`,
			`$["a b"]: want true, got false`},
		{"not JSON", `{}`, `{`, `$: not JSON`},
		{"two documents", `{}`, `{}{}`, `$: not JSON`},
		{"an object is not an array", `{}`, `[]`, `$: want {}, got []`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.diff, jsonDiff([]byte(tc.want), []byte(tc.got)))
		})
	}
}

func TestJSONDiffShowsHTMLAsWritten(t *testing.T) {
	d := jsonDiff([]byte(`{"m":"<b>&"}`), []byte(`{"m":"<i>"}`))
	assert.Equal(t, `$.m: want "<b>&", got "<i>"`, d)
}

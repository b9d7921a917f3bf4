package kat

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An answer the reader cannot take says what is wrong with it: a member
// of the wrong type is named, not called "not JSON".
func TestAdapterAnswerErrorsNameTheCause(t *testing.T) {
	cases := map[string]string{
		`{"id":"7","token":"AAAA"}`: `whose "id" is a JSON string, not an integer`,
		`{"id":7,"token":5}`:        `whose "token" is a JSON number, not a string`,
		`{"id":7,"error":["x"]}`:    `whose "error" is a JSON array, not a string`,
		`nope`:                      `a line that is not a JSON object`,
		`[7]`:                       `a line that is not a JSON object`,
		`{"id":8,"token":"AAAA"}`:   `out of order: want id 7`,
	}
	for line, want := range cases {
		_, err := (&Adapter{}).parse(line, 7)
		require.Error(t, err, line)
		assert.Contains(t, err.Error(), want, line)
	}
	ans, err := (&Adapter{}).parse(`{"id":7,"error":"padding"}`, 7)
	var refusal *Refusal
	require.True(t, errors.As(err, &refusal), "a refusal, not a broken answer: %v", err)
	assert.Equal(t, "padding", refusal.Word)
	assert.Equal(t, 7, *ans.ID)
}

package gateway

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gwcert/gwcert/internal/slowbody"
)

func TestDisjoint(t *testing.T) {
	assert.True(t, disjoint([]float64{5, 6, 7}, []float64{1, 2, 4.9}))
	assert.True(t, disjoint([]float64{1}, []float64{2}), "either side may be the slow one")
	assert.False(t, disjoint([]float64{1, 5}, []float64{2, 3}), "one value inside the other's range")
	assert.False(t, disjoint([]float64{2, 3}, []float64{3, 4}), "a shared value is an overlap")
	assert.False(t, disjoint(nil, []float64{1}))
}

func TestJudgeSlow(t *testing.T) {
	const wait = 8 * time.Second
	cases := []struct {
		res  slowbody.Result
		ok   bool
		want string
	}{
		{slowbody.Result{Outcome: slowbody.Answered, Status: 400, After: 2001 * time.Millisecond},
			true, "refused with 400 after 2.001s"},
		{slowbody.Result{Outcome: slowbody.Answered, Status: 408, After: time.Second},
			true, "refused with 408 after 1s"},
		{slowbody.Result{Outcome: slowbody.Closed, After: 1500 * time.Millisecond},
			true, "closed the connection after 1.5s"},
		{slowbody.Result{Outcome: slowbody.StillReading, After: wait, Sent: 48},
			false, "still reading the body after 8s (48 bytes)"},
		{slowbody.Result{Outcome: slowbody.Answered, Status: 500, After: time.Second},
			false, "answered 500 after 1s"},
		{slowbody.Result{Outcome: slowbody.Answered, Status: 200},
			false, "answered 200 to a body that never ended"},
		{slowbody.Result{Outcome: slowbody.Answered, Status: 302},
			false, "answered 302 to a body that never ended"},
	}
	for _, c := range cases {
		ok, why := judgeSlow(c.res, wait)
		assert.Equal(t, c.ok, ok, why)
		assert.Equal(t, c.want, why)
	}
}

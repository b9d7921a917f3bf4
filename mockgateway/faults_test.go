package mockgateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/mockgateway"
)

func TestFaultLatency(t *testing.T) {
	const latency = 80 * time.Millisecond
	f := newFixture(t, func(c *mockgateway.Config) { c.Faults.Latency = latency })
	start := time.Now()
	assert.Equal(t, http.StatusOK, f.do(f.good()).status)
	assert.GreaterOrEqual(t, time.Since(start), latency)
	start = time.Now()
	expect(t, f.do(f.raw("POST", "/api/echo", wire{}, "{}")), 401, wantPassKey)
	assert.GreaterOrEqual(t, time.Since(start), latency, "failures are delayed too")
	assert.GreaterOrEqual(t, f.last().Duration, latency)
}

func TestFaultErrorShare(t *testing.T) {
	const calls, share = 400, 0.3
	f := newFixture(t, func(c *mockgateway.Config) {
		c.Faults = mockgateway.Faults{ErrorShare: share, Seed: 7}
	})
	failed := 0
	for range calls {
		got := f.do(f.good())
		switch got.status {
		case http.StatusServiceUnavailable:
			expect(t, got, 503, wantInjected)
			assert.Equal(t, "error", f.last().Fault)
			failed++
		default:
			require.Equal(t, http.StatusOK, got.status)
		}
	}
	// Binomial(400, 0.3): the standard deviation is 9.2 calls; allow 4.
	assert.InDelta(t, share*calls, float64(failed), 37)
}

func TestFaultDrop(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.Faults.DropShare = 1 })
	resp, err := f.client.Do(f.good())
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	require.Error(t, err, "the connection closes without an answer")
	ex := f.last()
	assert.Equal(t, "drop", ex.Fault)
	assert.Zero(t, ex.Status)
	assert.Nil(t, ex.Answer)
}

// The same seed hits the same calls of a sequential run.
func TestFaultsAreReproducible(t *testing.T) {
	run := func() []int {
		f := newFixture(t, func(c *mockgateway.Config) {
			c.Faults = mockgateway.Faults{ErrorShare: 0.25, DropShare: 0.25, Seed: 42}
		})
		var outcomes []int
		for range 40 {
			resp, err := f.client.Do(f.good())
			if err != nil {
				outcomes = append(outcomes, 0)
				continue
			}
			resp.Body.Close()
			outcomes = append(outcomes, resp.StatusCode)
		}
		return outcomes
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, 0)
	assert.Contains(t, first, 503)
	assert.Contains(t, first, 200)
}

// Through a ResponseWriter that cannot be hijacked, a drop aborts the
// handler the way net/http defines, and the exchange is still recorded.
func TestFaultDropWithoutHijacker(t *testing.T) {
	f := newFixture(t, func(c *mockgateway.Config) { c.Faults.DropShare = 1 })
	rec := httptest.NewRecorder()
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { f.gw.ServeHTTP(rec, f.good()) })
	assert.Equal(t, "drop", f.last().Fault)
	assert.Empty(t, rec.Body.Bytes())
}

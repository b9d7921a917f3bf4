package load

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestErrorKind(t *testing.T) {
	cases := []struct {
		res  vegeta.Result
		want string
	}{
		{vegeta.Result{Code: 200}, ""},
		{vegeta.Result{Code: 200, Error: OpenFailure + "padding"},
			"ResponseData does not open: padding"},
		{vegeta.Result{Code: 201, Error: MissingField + "status"}, "answer lacks member status"},
		{vegeta.Result{Code: 503, Error: "503 Service Unavailable"}, "status 503"},
		{vegeta.Result{Code: 302, Error: "status 302: not 2xx"}, "status 302"},
		{vegeta.Result{Error: `Post "http://127.0.0.1:9/api/echo": dial tcp 127.0.0.1:9: ` +
			`connect: connection refused`}, "connection refused"},
		{vegeta.Result{Error: `Post "http://h/api": context deadline exceeded ` +
			`(Client.Timeout exceeded while awaiting headers)`}, "timeout"},
		{vegeta.Result{Error: `Post "http://h/api": EOF`}, "connection closed"},
		{vegeta.Result{Error: `Post "http://h/api": something new`}, "transport error"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, ErrorKind(&c.res), "%+v", c.res)
	}
}

// shardResults makes n results of one attack, sent every 10 ms from
// began, with every fifth a 503 and every seventh a 200 that did not open.
func shardResults(attack string, began time.Time, n int) []*vegeta.Result {
	var out []*vegeta.Result
	for i := range n {
		r := &vegeta.Result{Attack: attack, Seq: uint64(i), Code: 200, Method: "POST",
			URL: "http://gw/api/echo", Timestamp: began.Add(time.Duration(i) * 10 * time.Millisecond),
			Latency: time.Duration(i%10+1) * time.Millisecond, BytesIn: 10, BytesOut: 20}
		switch {
		case i%5 == 0:
			r.Code, r.Error, r.URL = 503, "503 Service Unavailable", "http://gw/api/status"
		case i%7 == 0:
			r.Error = OpenFailure + "padding"
		}
		out = append(out, r)
	}
	return out
}

// encode writes results in Vegeta's gob encoding.
func encode(t *testing.T, rs []*vegeta.Result) []byte {
	var buf bytes.Buffer
	enc := vegeta.NewEncoder(&buf)
	for _, r := range rs {
		require.NoError(t, enc.Encode(r))
	}
	return buf.Bytes()
}

// decodeInto adds every result of a Vegeta results file to agg.
func decodeInto(t *testing.T, agg *Aggregator, data []byte) {
	dec := vegeta.DecoderFor(bytes.NewReader(data))
	require.NotNil(t, dec)
	for {
		var r vegeta.Result
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
		require.NoError(t, agg.Add(&r))
	}
}

func TestMetricsSurviveVegetasEncoding(t *testing.T) {
	rs := shardResults("load", time.Unix(1_700_000_000, 0), 100)
	direct := NewAggregator()
	for _, r := range rs {
		require.NoError(t, direct.Add(r))
	}
	decoded := NewAggregator()
	decodeInto(t, decoded, encode(t, rs))
	assert.Empty(t, cmp.Diff(direct.Metrics(), decoded.Metrics()))
}

func TestMergedShardsAddUp(t *testing.T) {
	began := time.Unix(1_700_000_000, 0)
	agg := NewAggregator()
	for i, name := range []string{"shard 0/3", "shard 1/3", "shard 2/3"} {
		start := began.Add(time.Duration(i) * time.Millisecond)
		decodeInto(t, agg, encode(t, shardResults(name, start, 100)))
	}
	m := agg.Metrics()

	// Per shard: 20 of 100 are 503 (i%5==0), and 12 more did not open
	// (i%7==0: 0, 7, ... 98 is 15 numbers, less 0, 35 and 70).
	assert.Equal(t, uint64(300), m.Requests)
	assert.Equal(t, uint64(3*(100-20-12)), m.Successes)
	assert.Equal(t, map[string]int{"200": 240, "503": 60}, m.StatusCodes)
	assert.Equal(t, map[string]uint64{"status 503": 60, OpenFailure + "padding": 36}, m.Errors)
	assert.Equal(t, []string{"shard 0/3", "shard 1/3", "shard 2/3"}, m.Attacks)
	// Three shards of 100/s side by side: 300 requests in 0.992 s.
	assert.InDelta(t, 300/0.992, m.Rate, 0.01)
	assert.InDelta(t, 1.0, m.Latencies.Max/10, 1e-9, "10 ms at most")
	require.Len(t, m.Routes, 2, "in order of first appearance")
	assert.Equal(t, "POST /api/status", m.Routes[0].Route)
	assert.Equal(t, uint64(60), m.Routes[0].Requests)
	assert.Equal(t, 0.0, m.Routes[0].Success)
	assert.Equal(t, "POST /api/echo", m.Routes[1].Route)
	assert.Equal(t, uint64(240), m.Routes[1].Requests)
	assert.InDelta(t, 204.0/240, m.Routes[1].Success, 1e-9)
}

func TestEmptyMetrics(t *testing.T) {
	m := NewAggregator().Metrics()
	assert.Zero(t, m.Requests)
	assert.Zero(t, m.Success)
	assert.NotNil(t, m.StatusCodes)
	assert.NotNil(t, m.Errors)
	assert.NotNil(t, m.Attacks)
}

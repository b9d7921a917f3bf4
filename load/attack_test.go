package load

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/internal/target"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// runAttack attacks the target with opts and returns every result and
// the metrics.
func runAttack(t *testing.T, tg *target.Target, opts ...Option) ([]*vegeta.Result, Metrics) {
	t.Helper()
	atk, err := NewAttack(newTargeter(t, tg), opts...)
	require.NoError(t, err)
	agg := NewAggregator()
	var results []*vegeta.Result
	keep := func(r *vegeta.Result) error { results = append(results, r); return nil }
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, atk.Run(ctx, agg, keep))
	require.NotEmpty(t, results)
	return results, agg.Metrics()
}

func TestAttackOnTheMockSucceedsAndFollowsTheWeights(t *testing.T) {
	tg := openMock(t, nil, nil, nil)
	results, m := runAttack(t, tg, Rate(200), Duration(time.Second))

	n := uint64(len(results))
	assert.Equal(t, n, m.Requests)
	assert.InDelta(t, 200, float64(n), 20, "one second at 200/s")
	// The rate is requests over the time from the first to the last sent;
	// on a busy machine the last ones leave late, so the bound is loose.
	assert.InDelta(t, 200, m.Rate, 60)
	assert.Equal(t, n, m.Successes)
	assert.Equal(t, 1.0, m.Success)
	assert.Equal(t, map[string]int{"200": int(n)}, m.StatusCodes)
	assert.Empty(t, m.Errors)
	assert.Equal(t, []string{"load"}, m.Attacks)
	for _, r := range results {
		require.Equal(t, uint16(200), r.Code)
		require.Empty(t, r.Error)
		require.Nil(t, r.Body, "bodies of successes are dropped")
		require.Nil(t, r.Headers, "so are their headers")
		require.Empty(t, r.Headers.Get(verdictHeader))
	}
	// The default profile weighs /api/echo 3 and /api/payout/status 1.
	routes := map[string]uint64{}
	for _, rm := range m.Routes {
		routes[rm.Route] = rm.Requests
		assert.Equal(t, 1.0, rm.Success, rm.Route)
	}
	assert.InDelta(t, float64(n)*3/4, float64(routes["POST /api/echo"]), 2)
	assert.InDelta(t, float64(n)/4, float64(routes["POST /api/payout/status"]), 2)
}

// badPaddingToken returns a CBC token under key whose plaintext is one
// block of zero bytes: its last byte, the PKCS#7 pad length, is 0, which
// no valid padding has.
func badPaddingToken(t *testing.T, key []byte) string {
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	raw := make([]byte, 32)
	_, _ = rand.Read(raw[:16])
	cipher.NewCBCEncrypter(block, raw[:16]).CryptBlocks(raw[16:], raw[16:])
	return base64.StdEncoding.EncodeToString(raw)
}

// corruptAnswers wraps the mock so that each 200 carries a ResponseData
// sealed with the sender's key but with broken padding.
func corruptAnswers(t *testing.T) func(http.Handler) http.Handler {
	keys := map[string][]byte{}
	for _, c := range profiles.MockCredentials {
		key, err := base64.StdEncoding.DecodeString(c.Key)
		require.NoError(t, err)
		keys[c.PassKey] = key
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK {
				key := keys[r.Header.Get(envelope.HeaderPassKey)]
				body, _ = json.Marshal(map[string]string{"ResponseData": badPaddingToken(t, key)})
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
}

func TestAttackCountsA200ThatDoesNotOpenAsAFailure(t *testing.T) {
	tg := openMock(t, nil, nil, corruptAnswers(t))
	results, m := runAttack(t, tg, Rate(100), Duration(500*time.Millisecond))

	n := len(results)
	const want = "ResponseData does not open: padding"
	for _, r := range results {
		require.Equal(t, uint16(200), r.Code, "the status itself is fine")
		require.Equal(t, want, r.Error)
		require.NotEmpty(t, r.Body, "a failure keeps its body as evidence")
		require.False(t, Succeeded(r))
	}
	assert.Equal(t, 0.0, m.Success)
	assert.Zero(t, m.Successes)
	assert.Zero(t, m.Throughput)
	assert.Equal(t, map[string]int{"200": n}, m.StatusCodes)
	assert.Equal(t, map[string]uint64{want: uint64(n)}, m.Errors)
	for _, rm := range m.Routes {
		assert.Equal(t, 0.0, rm.Success, rm.Route)
	}
}

func TestAttackChecksTheExpectedField(t *testing.T) {
	p := profiles.Default()
	p.Routes = []profiles.Route{{Path: "/api/thin", Method: "POST", Weight: 1, Status: 200,
		Payload: []byte(`{}`), Answer: []byte(`{"other":1}`), ExpectField: "status"}}
	_, m := runAttack(t, openMock(t, p, nil, nil), Rate(50), Duration(300*time.Millisecond))
	assert.Equal(t, 0.0, m.Success)
	assert.Equal(t, map[string]uint64{"answer lacks member status": m.Requests}, m.Errors)
}

func TestAttackCountsFailureAnswersByStatus(t *testing.T) {
	faults := func(c *mockgateway.Config) { c.Faults.ErrorShare = 1 }
	_, m := runAttack(t, openMock(t, nil, faults, nil), Rate(50), Duration(300*time.Millisecond))
	assert.Equal(t, 0.0, m.Success)
	assert.Equal(t, map[string]int{"503": int(m.Requests)}, m.StatusCodes)
	assert.Equal(t, map[string]uint64{"status 503": m.Requests}, m.Errors)
}

func TestAttackWaitsForTheStartTimeAndReportsProgress(t *testing.T) {
	tg := openMock(t, nil, nil, nil)
	start := time.Now().Add(400 * time.Millisecond)
	var progress bytes.Buffer
	results, _ := runAttack(t, tg, Rate(50), Duration(1200*time.Millisecond), StartAt(start),
		Progress(&progress, 300*time.Millisecond), InShard(Shard{Index: 2, Count: 5}))

	for _, r := range results {
		require.False(t, r.Timestamp.Before(start), "sent before the start time")
		require.Equal(t, "shard 2/5", r.Attack)
	}
	assert.InDelta(t, 12, len(results), 3, "a fifth of 50/s for 1.2 s")
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	assert.Contains(t, lines[0], "waiting")
	assert.GreaterOrEqual(t, len(lines), 4)
	assert.Regexp(t, `^gwcert load +\d+s  sent \d+  rate [\d.]+/s  `, lines[1])
	assert.Regexp(t, `^gwcert load +done  sent \d+  rate [\d.]+/s  p50 \S+  p99 \S+  `+
		`success 100\.00%  errors: none$`, lines[len(lines)-1])
}

func TestAttackStopsWhenASinkFails(t *testing.T) {
	tg := openMock(t, nil, nil, nil)
	atk, err := NewAttack(newTargeter(t, tg), Rate(100), Duration(10*time.Second))
	require.NoError(t, err)
	full := errors.New("disk full")
	n := 0
	sink := func(*vegeta.Result) error {
		if n++; n == 5 {
			return full
		}
		return nil
	}
	began := time.Now()
	err = atk.Run(context.Background(), NewAggregator(), sink)
	assert.ErrorIs(t, err, full)
	assert.Less(t, time.Since(began), 5*time.Second)
}

func TestNewAttackReportsEverySetting(t *testing.T) {
	tr, err := NewTargeter("http://127.0.0.1:1", seqRoutes(), mockClients(t))
	require.NoError(t, err)
	_, err = NewAttack(tr, Rate(-1), Workers(0), Timeout(-time.Second),
		InShard(Shard{Index: 3, Count: 3}), Connections(-1))
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	var names []string
	for _, p := range ce.Problems {
		names = append(names, p.Setting)
	}
	assert.ElementsMatch(t, []string{"rate", "workers", "timeout", "shard", "connections"}, names)

	_, err = NewAttack(tr, Ramp(10, 0), Duration(0))
	require.ErrorAs(t, err, &ce)
	assert.Len(t, ce.Problems, 2)
	assert.Equal(t, "ramp", ce.Problems[0].Setting)
}

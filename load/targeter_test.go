package load

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// mockClients returns load clients with the mock's public test
// credentials; no server is needed to build requests.
func mockClients(t testing.TB) []Client {
	t.Helper()
	var out []Client
	for _, name := range []string{profiles.Primary, profiles.Peer} {
		c := profiles.MockCredentials[name]
		key, err := envelope.ParseKey(c.Key, envelope.KeyBase64)
		require.NoError(t, err)
		codec, err := envelope.New(envelope.CBC, key)
		require.NoError(t, err)
		out = append(out, Client{Name: name, Codec: codec, Cred: envelope.Credentials{
			PassKey: c.PassKey, ClientID: c.ClientID, ClientSecret: c.ClientSecret}})
	}
	return out
}

// built is what a test learns from opening one target.
type built struct {
	route, client string
	headerIV      string
	bodyIV        string
	epoch         int64
	seq           uint64
}

// openTarget opens a target the way the gateway would and returns its
// parts; it fails the test when anything does not open.
func openTarget(t *testing.T, tgt *vegeta.Target, clients []Client) built {
	var c *Client
	for i := range clients {
		if tgt.Header[envelope.HeaderPassKey][0] == clients[i].Cred.PassKey {
			c = &clients[i]
		}
	}
	require.NotNil(t, c, "pass_key of no client")
	hsTok := tgt.Header[envelope.HeaderSecretsName][0]
	hs, err := c.Codec.OpenHeaderSecrets([]byte(hsTok))
	require.NoError(t, err)
	assert.Equal(t, c.Cred.ClientID, hs.ClientID)
	epoch, err := hs.Unix()
	require.NoError(t, err)

	var body map[string]string
	require.NoError(t, json.Unmarshal(tgt.Body, &body))
	plain, err := c.Codec.Open(body["RequestData"])
	require.NoError(t, err)
	var payload map[string]string
	require.NoError(t, json.Unmarshal(plain, &payload), "payload %s", plain)
	seq, err := strconv.ParseUint(payload["seq"], 10, 64)
	require.NoError(t, err)
	return built{route: tgt.Method + " " + tgt.URL, client: c.Name, epoch: epoch, seq: seq,
		headerIV: ivOf(t, hsTok), bodyIV: ivOf(t, body["RequestData"])}
}

// ivOf returns the first 16 bytes of a CBC token, its IV.
func ivOf(t *testing.T, token string) string {
	raw, err := base64.StdEncoding.DecodeString(token)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(raw), 32)
	return string(raw[:16])
}

func seqRoutes() []Route {
	return []Route{
		{Path: "/api/a", Payload: []byte(`{"seq":"{{seq}}","r":"a"}`), Weight: 3},
		{Path: "/api/b", Payload: []byte(`{"seq":"{{seq}}","r":"b"}`), Weight: 1},
		{Path: "/api/c", Payload: []byte(`{"seq":"{{seq}}","r":"c"}`), Weight: 2},
	}
}

func TestTargeterNeverRepeatsAnIVUnderConcurrentUse(t *testing.T) {
	clients := mockClients(t)
	tr, err := NewTargeter("http://127.0.0.1:1", seqRoutes(), clients)
	require.NoError(t, err)
	const goroutines, each = 8, 1000
	targets := make([][]vegeta.Target, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for range each {
				var tgt vegeta.Target
				if err := tr.Target(&tgt); err != nil {
					t.Error(err)
					return
				}
				targets[g] = append(targets[g], tgt)
			}
		})
	}
	wg.Wait()

	ivs := map[string]bool{}
	seqs := map[uint64]bool{}
	now := time.Now().Unix()
	for _, ts := range targets {
		for i := range ts {
			b := openTarget(t, &ts[i], clients)
			assert.False(t, ivs[b.headerIV], "header IV repeated")
			assert.False(t, ivs[b.bodyIV], "body IV repeated")
			ivs[b.headerIV], ivs[b.bodyIV] = true, true
			assert.False(t, seqs[b.seq], "seq %d repeated", b.seq)
			seqs[b.seq] = true
			assert.InDelta(t, now, b.epoch, 5, "epoch is the current time in seconds")
		}
	}
	assert.Len(t, ivs, 2*goroutines*each)
	assert.Len(t, seqs, goroutines*each)
	assert.Equal(t, uint64(goroutines*each), tr.Built())
}

func TestTargeterSharesRoutesByWeightAndClientsInTurn(t *testing.T) {
	clients := mockClients(t)
	tr, err := NewTargeter("http://127.0.0.1:1/base/", seqRoutes(), clients)
	require.NoError(t, err)
	const cycle = 6 // the weights add up to 6
	for round := range 4 {
		counts := map[string]int{}
		var client string
		for range cycle {
			var tgt vegeta.Target
			require.NoError(t, tr.Target(&tgt))
			b := openTarget(t, &tgt, clients)
			counts[b.route]++
			if client == "" {
				client = b.client
			}
			assert.Equal(t, client, b.client, "one client per round of routes")
		}
		assert.Equal(t, map[string]int{"POST http://127.0.0.1:1/base/api/a": 3,
			"POST http://127.0.0.1:1/base/api/b": 1, "POST http://127.0.0.1:1/base/api/c": 2},
			counts, "round %d", round)
		assert.Equal(t, clients[round%2].Name, client, "clients take rounds in turn")
	}
}

func TestTargeterNumbersShardsApart(t *testing.T) {
	clients := mockClients(t)
	tr, err := NewTargeter("http://127.0.0.1:1", seqRoutes(), clients,
		ForShard(Shard{Index: 1, Count: 3}))
	require.NoError(t, err)
	var got []uint64
	for range 4 {
		var tgt vegeta.Target
		require.NoError(t, tr.Target(&tgt))
		got = append(got, openTarget(t, &tgt, clients).seq)
	}
	assert.Equal(t, []uint64{1, 4, 7, 10}, got)
}

func TestNewTargeterReportsEveryProblem(t *testing.T) {
	routes := []Route{
		{Path: "api/no-slash"},
		{Path: "/api/typo", Payload: []byte(`{"id":"{{uid}}"}`)},
		{Path: "/api/neg", Weight: -1},
	}
	_, err := NewTargeter("ftp://example", routes, nil)
	require.Error(t, err)
	for _, want := range []string{`target "ftp://example"`, "route api/no-slash: path must start",
		"route /api/typo: payload: placeholder {{uid}}", "route /api/neg: weight",
		"clients: none given"} {
		assert.Contains(t, err.Error(), want)
	}
}

// BenchmarkTargeter measures building one sealed request; the
// allocations per request are the body, the header map and the
// header_secrets value that Vegeta takes over.
func BenchmarkTargeter(b *testing.B) {
	tr, err := NewTargeter("http://127.0.0.1:1", seqRoutes(), mockClients(b))
	require.NoError(b, err)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var tgt vegeta.Target
		for pb.Next() {
			if err := tr.Target(&tgt); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

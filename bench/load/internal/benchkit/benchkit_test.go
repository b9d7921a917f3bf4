package benchkit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

func TestPayloadHasTheSizeAskedAndIsJSON(t *testing.T) {
	for _, n := range []int{MinPayload, 64, 256, 4 << 10, 64 << 10, MaxPayload} {
		p, err := Payload(n)
		if err != nil {
			t.Fatalf("Payload(%d): %v", n, err)
		}
		if len(p) != n {
			t.Errorf("Payload(%d) is %d bytes", n, len(p))
		}
		var doc map[string]string
		if err := json.Unmarshal(p, &doc); err != nil || doc["amount"] != "10.00" {
			t.Errorf("Payload(%d) is not the expected JSON object: %v", n, err)
		}
	}
}

func TestPayloadRefusesSizesOutOfRange(t *testing.T) {
	for _, n := range []int{-1, 0, MinPayload - 1, MaxPayload + 1} {
		if _, err := Payload(n); err == nil || !strings.Contains(err.Error(), "payload") {
			t.Errorf("Payload(%d): error %v, want one naming the payload", n, err)
		}
	}
}

func TestGeneratedClientsAreStableDistinctAndValid(t *testing.T) {
	a, err := Generated(50)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generated(50)
	seen := map[string]bool{}
	for i := range a {
		if a[i].PassKey != b[i].PassKey || !bytes.Equal(a[i].Key, b[i].Key) {
			t.Fatalf("client %d differs between two calls", i)
		}
		if seen[a[i].PassKey] || seen[string(a[i].Key)] {
			t.Fatalf("client %d repeats a pass key or key", i)
		}
		seen[a[i].PassKey], seen[string(a[i].Key)] = true, true
	}
	if _, err := mockgateway.New(mockgateway.Config{Clients: a}); err != nil {
		t.Fatalf("the mock refuses the generated clients: %v", err)
	}
}

func TestGeneratedRefusesCountsOutOfRange(t *testing.T) {
	for _, n := range []int{0, -3, MaxClients + 1} {
		if _, err := Generated(n); err == nil {
			t.Errorf("Generated(%d) gave no error", n)
		}
	}
}

// setPrimaryEnv sets the variables `gwcert mock` prints for the primary.
func setPrimaryEnv(t *testing.T) profiles.Credentials {
	c := profiles.MockCredentials[profiles.Primary]
	ref := profiles.Default().Clients[profiles.Primary]
	t.Setenv(ref.PassKeyEnv, c.PassKey)
	t.Setenv(ref.ClientIDEnv, c.ClientID)
	t.Setenv(ref.ClientSecretEnv, c.ClientSecret)
	t.Setenv(ref.KeyEnv, c.Key)
	return c
}

func TestClientsZeroReadsThePrimaryFromTheEnvironment(t *testing.T) {
	want := setPrimaryEnv(t)
	got, err := Clients(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Cred.PassKey != want.PassKey || got[0].Cred.ClientID != want.ClientID {
		t.Fatalf("Clients(0) = %v, want the primary client", got)
	}
}

func TestClientsZeroNamesAMissingVariableWithoutValues(t *testing.T) {
	c := setPrimaryEnv(t)
	ref := profiles.Default().Clients[profiles.Primary]
	t.Setenv(ref.KeyEnv, "")
	_, err := Clients(0)
	if err == nil || !strings.Contains(err.Error(), ref.KeyEnv) {
		t.Fatalf("error %v, want one naming %s", err, ref.KeyEnv)
	}
	if strings.Contains(err.Error(), c.ClientSecret) || strings.Contains(err.Error(), c.PassKey) {
		t.Fatalf("error %q quotes a secret", err)
	}
}

func TestCounterCountsAnswersByStatusClass(t *testing.T) {
	codes := []int{200, 204, 401, 400, 200, 503}
	next := 0
	c := NewCounter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(codes[next])
		next++
	}))
	for range codes {
		c.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil))
	}
	if got := c.Stats(); got != (Stats{OK: 3, Other: 3}) {
		t.Fatalf("Stats() = %+v, want 3 ok and 3 other", got)
	}
}

func TestCounterCountsAnImplicit200(t *testing.T) {
	c := NewCounter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{}"))
	}))
	c.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got := c.Stats(); got.OK != 1 {
		t.Fatalf("Stats() = %+v, want one ok", got)
	}
}

func TestFetchStatsReadsTheStatsHandler(t *testing.T) {
	c := NewCounter(http.NotFoundHandler())
	c.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	srv := httptest.NewServer(c.StatsHandler())
	defer srv.Close()
	got, err := FetchStats(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got != (Stats{Other: 1}) {
		t.Fatalf("FetchStats = %+v, want one other", got)
	}
	if d := (Stats{OK: 5, Other: 3}).Sub(Stats{OK: 2, Other: 1}); d.Total() != 5 {
		t.Fatalf("Sub then Total = %d, want 5", d.Total())
	}
}

func TestFetchStatsFailsOnAnUnreadableAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("not json"))
	}))
	defer srv.Close()
	if _, err := FetchStats(srv.URL); err == nil {
		t.Fatal("FetchStats accepted an answer that is not JSON")
	}
}

func TestAttackCheckReportsEveryProblem(t *testing.T) {
	a := Attack{Workers: 0, Duration: 0, Clients: -1, Payload: 1}
	err := a.Check()
	if err == nil {
		t.Fatal("Check accepted an empty attack")
	}
	for _, want := range []string{"-url", "-workers", "-duration", "-clients", "-payload"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestRunCountsSuccessesAndTheFirstFailure(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	a := Attack{URL: srv.URL, Workers: 1, Duration: 200 * time.Millisecond, Payload: 64}
	var calls atomic.Uint64
	tr := func(tgt *vegetaTarget) error { calls.Add(1); return fillTarget(tgt, srv.URL) }
	s := a.Run(tr, NewTransport(), nil)
	if s.Requests == 0 || s.Requests != calls.Load() {
		t.Fatalf("summary %+v after %d calls", s, calls.Load())
	}
	if s.Success != (s.Requests+1)/2 || !strings.Contains(s.FirstError, "401") {
		t.Fatalf("summary %+v, want every other call a success and a 401 as first error", s)
	}
	var out bytes.Buffer
	if err := s.Write(&out); err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back != s {
		t.Fatalf("summary does not round-trip through JSON: %v", err)
	}
}

func TestClientsBuildsACodecPerGeneratedClient(t *testing.T) {
	cs, err := Clients(3)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		tok, err := c.Codec.Seal([]byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Codec.Open(tok); err != nil {
			t.Fatal(err)
		}
		if c.Codec.Scheme() != envelope.CBC {
			t.Fatalf("scheme %s, want CBC", c.Codec.Scheme())
		}
	}
	if len(cs) != 3 {
		t.Fatalf("%d clients, want 3", len(cs))
	}
}

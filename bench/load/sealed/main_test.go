package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

// newMock serves a mock gateway that knows n generated clients.
func newMock(t *testing.T, n int, replay bool) *httptest.Server {
	t.Helper()
	clients, err := benchkit.Generated(n)
	if err != nil {
		t.Fatal(err)
	}
	g, err := mockgateway.New(mockgateway.Config{Clients: clients, ReplayDetection: replay,
		RecorderLimit: mockgateway.RecorderOff})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

// attack runs the sealing attacker the way main does, briefly.
func attack(t *testing.T, url string, clients int) benchkit.Summary {
	t.Helper()
	a := benchkit.Attack{URL: url, Workers: 2, Duration: 300 * time.Millisecond,
		Clients: clients, Payload: 100}
	cs, err := benchkit.Clients(clients)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := benchkit.Payload(a.Payload)
	j := newJudge(cs, payload)
	return a.Run(sealing(a.URL, cs, payload), j, j.judged.Load)
}

func TestEveryRequestIsFreshAndEveryAnswerJudgedRight(t *testing.T) {
	// With replay detection on, a request sealed twice alike would fail.
	srv := newMock(t, 4, true)
	s := attack(t, srv.URL+mockgateway.EchoPath, 4)
	if s.Requests == 0 || s.Success != s.Requests || s.Judged != s.Success {
		t.Fatalf("summary %+v: want every call a success and judged right", s)
	}
}

func TestAnAnswerThatDoesNotEchoIsNotJudgedRight(t *testing.T) {
	clients, _ := benchkit.Clients(1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := clients[0].Codec.AppendSealResponse(nil, []byte(`{"amount":"other"}`))
		w.Write(body)
	}))
	defer srv.Close()
	s := attack(t, srv.URL, 1)
	if s.Success == 0 || s.Judged != 0 {
		t.Fatalf("summary %+v: want 2xx answers, none judged right", s)
	}
}

func TestAnAnswerSealedWithAnotherKeyIsNotJudgedRight(t *testing.T) {
	other, _ := envelope.New(envelope.CBC, make([]byte, envelope.KeySize))
	payload, _ := benchkit.Payload(100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := other.AppendSealResponse(nil, payload)
		w.Write(body)
	}))
	defer srv.Close()
	if s := attack(t, srv.URL, 1); s.Success == 0 || s.Judged != 0 {
		t.Fatalf("summary %+v: want 2xx answers, none judged right", s)
	}
}

func TestFirstValue(t *testing.T) {
	if firstValue(nil) != "" || firstValue([]string{"a", "b"}) != "a" {
		t.Fatal("firstValue does not return the first value or empty")
	}
}

package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/mockgateway"
)

// newMock serves a mock gateway that knows n generated clients.
func newMock(t *testing.T, n int) *httptest.Server {
	t.Helper()
	clients, err := benchkit.Generated(n)
	if err != nil {
		t.Fatal(err)
	}
	g, err := mockgateway.New(mockgateway.Config{Clients: clients,
		RecorderLimit: mockgateway.RecorderOff})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

func TestSealOnceMakesRequestsTheMockAcceptsAgainAndAgain(t *testing.T) {
	srv := newMock(t, 3)
	a := benchkit.Attack{URL: srv.URL + mockgateway.EchoPath, Clients: 3, Payload: 300}
	targets, err := sealOnce(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 3 {
		t.Fatalf("%d targets, want one per client", len(targets))
	}
	for i, tgt := range targets {
		for range 2 { // a replay is accepted too: replay detection is off
			req, err := tgt.Request()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("ResponseData")) {
				t.Fatalf("target %d: status %d, body %s", i, resp.StatusCode, body)
			}
		}
	}
}

func TestSealOnceRefusesABadPayloadSize(t *testing.T) {
	_, err := sealOnce(benchkit.Attack{URL: "http://127.0.0.1:1/", Clients: 1, Payload: 3})
	if err == nil {
		t.Fatal("sealOnce accepted a 3-byte payload")
	}
}

func TestRunRefusesMissingFlags(t *testing.T) {
	if err := run([]string{"-workers", "0"}); err == nil {
		t.Fatal("run accepted no -url and zero workers")
	}
}

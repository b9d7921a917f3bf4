package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

func TestPlainAnswersAJSONBodyAndRefusesOthers(t *testing.T) {
	for _, c := range []struct {
		body string
		want int
	}{
		{`{"RequestData":"abc"}`, http.StatusOK},
		{`{"RequestData":""}`, http.StatusBadRequest},
		{`not json`, http.StatusBadRequest},
	} {
		w := httptest.NewRecorder()
		plain(w, httptest.NewRequest("POST", "/api/echo", strings.NewReader(c.body)))
		if w.Code != c.want {
			t.Errorf("body %s: status %d, want %d", c.body, w.Code, c.want)
		}
	}
}

func TestHandlerRefusesAnUnknownMode(t *testing.T) {
	if _, err := handler(config{mode: "proxy"}); err == nil ||
		!strings.Contains(err.Error(), "-mode") {
		t.Fatalf("error %v, want one naming -mode", err)
	}
}

func TestMockServesGeneratedClients(t *testing.T) {
	h, err := handler(config{mode: "mock", clients: 5})
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := benchkit.Clients(5)
	payload, _ := benchkit.Payload(80)
	c := cs[4]
	var r envelope.Request
	if err := c.Codec.SealRequest(&r, c.Cred, payload); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", mockgateway.EchoPath, strings.NewReader(string(r.Body)))
	envelope.SetHeaders(req.Header, c.Cred.PassKey, string(r.HeaderSecrets))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	got, err := c.Codec.OpenResponse(w.Code, w.Body.Bytes())
	if err != nil || string(got.JSON) != string(payload) {
		t.Fatalf("status %d, open error %v: the mock did not echo the payload", w.Code, err)
	}
}

func TestRunPrintsTheBannerAndServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-mode", "plain"}, pw); pw.Close() }()
	lines := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() && sc.Text() != "ready" {
		k, v, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if after, ok := strings.CutPrefix(k, "stats "); ok {
			k, v = "stats", after
		}
		lines[k] = v
	}
	ref := profiles.Default().Clients[profiles.Primary]
	if lines["stats"] == "" || lines["GWCERT_BASE_URL"] == "" || lines[ref.KeyEnv] == "" {
		t.Fatalf("banner %v lacks stats, base URL or key", lines)
	}
	resp, err := http.Post(lines["GWCERT_BASE_URL"]+"/x", "application/json",
		strings.NewReader(`{"RequestData":"a"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s, err := benchkit.FetchStats(lines["stats"]); err != nil || s.OK != 1 {
		t.Fatalf("stats %+v, %v: want one ok answer", s, err)
	}
	go io.Copy(io.Discard, pr)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop when cancelled")
	}
}

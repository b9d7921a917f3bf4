package mockgateway_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/mockgateway"
)

// BenchmarkRoundTrip compares a full sealed round trip through the
// gateway (the client seals the request and opens the answer) with a
// plain net/http handler that decodes and encodes the same JSON.
func BenchmarkRoundTrip(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(plainJSON))
		defer srv.Close()
		runParallel(b, srv, func(buf *envelope.Request) *http.Request {
			req, _ := http.NewRequest("POST", srv.URL+"/api/echo",
				bytes.NewReader([]byte(echoPayload)))
			return req
		}, nil)
	})
	b.Run("gateway", func(b *testing.B) {
		f := newFixture(b, func(c *mockgateway.Config) {
			c.RecorderLimit = mockgateway.RecorderOff
			c.Logger = nil
		})
		a := f.a
		runParallel(b, f.srv, func(r *envelope.Request) *http.Request {
			if err := a.codec.SealRequestAt(r, a.cred, f.epoch(), []byte(echoPayload)); err != nil {
				b.Error(err)
			}
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/echo", bytes.NewReader(r.Body))
			envelope.SetHeaders(req.Header, a.cred.PassKey, string(r.HeaderSecrets))
			return req
		}, a.codec)
	})
}

// plainJSON is the baseline: decode the body, answer it as JSON.
func plainJSON(w http.ResponseWriter, r *http.Request) {
	var doc map[string]any
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

// runParallel sends requests from parallel clients and, when codec is
// set, opens every answer.
func runParallel(b *testing.B, srv *httptest.Server, build func(*envelope.Request) *http.Request,
	codec *envelope.Codec) {
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var r envelope.Request
		for pb.Next() {
			resp, err := client.Do(build(&r))
			if err != nil {
				b.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d: %s", resp.StatusCode, body)
				return
			}
			if codec != nil {
				if _, err := codec.OpenResponse(resp.StatusCode, body); err != nil {
					b.Error(err)
				}
			}
		}
	})
}

// BenchmarkServeHTTP measures the gateway's handler alone, without the
// network: checks, opening, sealing and writing one echo answer.
func BenchmarkServeHTTP(b *testing.B) {
	f := newFixture(b, func(c *mockgateway.Config) {
		c.RecorderLimit = mockgateway.RecorderOff
		c.Logger = nil
	})
	a := f.a
	var r envelope.Request
	if err := a.codec.SealRequestAt(&r, a.cred, f.epoch(), []byte(echoPayload)); err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/echo", nil)
	envelope.SetHeaders(req.Header, a.cred.PassKey, string(r.HeaderSecrets))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(bytes.NewReader(r.Body))
		f.gw.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// Command sealed is the benchmark's own encrypted attacker, used where
// `gwcert load` is missing or cannot do what a row needs (many clients,
// a payload size): Vegeta at the maximum rate with a targeter that seals
// every request afresh (new header_secrets with the current epoch and a
// fresh IV, new RequestData), spreading requests over the clients in
// turn, and a transport that opens every 2xx answer and checks that the
// echo gave back the payload sent. It prints a JSON summary line.
//
// Usage:
//
//	sealed -url http://127.0.0.1:8080/api/echo [-workers 10] [-duration 5s]
//	       [-clients 0] [-payload 64]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/envelope"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sealed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var a benchkit.Attack
	fs := flag.NewFlagSet("sealed", flag.ContinueOnError)
	a.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.Check(); err != nil {
		return err
	}
	clients, err := benchkit.Clients(a.Clients)
	if err != nil {
		return err
	}
	payload, err := benchkit.Payload(a.Payload)
	if err != nil {
		return err
	}
	j := newJudge(clients, payload)
	s := a.Run(sealing(a.URL, clients, payload), j, j.judged.Load)
	return s.Write(os.Stdout)
}

// sealing returns a targeter that seals a fresh request for every call,
// taking the clients in turn.
func sealing(url string, clients []benchkit.Client, payload []byte) vegeta.Targeter {
	var next atomic.Uint64
	return func(t *vegeta.Target) error {
		c := clients[(next.Add(1)-1)%uint64(len(clients))]
		var r envelope.Request
		if err := c.Codec.SealRequest(&r, c.Cred, payload); err != nil {
			return fmt.Errorf("sealing: %w", err)
		}
		h := make(http.Header, 3)
		envelope.SetHeaders(h, c.Cred.PassKey, string(r.HeaderSecrets))
		*t = vegeta.Target{Method: http.MethodPost, URL: url, Body: r.Body, Header: h}
		return nil
	}
}

// judge is a transport that opens every 2xx answer with the codec of the
// client that sent the call and counts those that echo the payload.
type judge struct {
	base    http.RoundTripper
	codecs  map[string]*envelope.Codec // by pass key; read-only
	payload []byte
	judged  atomic.Uint64
}

func newJudge(clients []benchkit.Client, payload []byte) *judge {
	j := &judge{base: benchkit.NewTransport(), payload: payload,
		codecs: make(map[string]*envelope.Codec, len(clients))}
	for _, c := range clients {
		j.codecs[c.Cred.PassKey] = c.Codec
	}
	return j
}

// RoundTrip sends the call, reads the whole answer, judges it and hands
// Vegeta the same bytes.
func (j *judge) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := j.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	codec := j.codecs[firstValue(req.Header[envelope.HeaderPassKey])]
	if codec == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, nil
	}
	if got, err := codec.OpenResponse(resp.StatusCode, body); err == nil &&
		bytes.Equal(got.JSON, j.payload) {
		j.judged.Add(1)
	}
	return resp, nil
}

// firstValue returns the first of a header's values, or "". The
// protocol's header names are not in Go's canonical form, so they are
// read from the map directly.
func firstValue(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// Command static is the benchmark's baseline attacker: Vegeta at the
// maximum rate replaying requests that were sealed once, at start, one
// per client. It does no cryptography per request and does not judge
// the answers beyond their status. It prints a JSON summary line.
//
// The mock gateway accepts the replays because its replay detection is
// off by default and an epoch stays valid for 300 s; an attack must
// therefore end within that window of its start.
//
// Usage:
//
//	static -url http://127.0.0.1:8080/api/echo [-workers 10] [-duration 5s]
//	       [-clients 0] [-payload 64]
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/envelope"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var a benchkit.Attack
	fs := flag.NewFlagSet("static", flag.ContinueOnError)
	a.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := a.Check(); err != nil {
		return err
	}
	targets, err := sealOnce(a)
	if err != nil {
		return err
	}
	s := a.Run(vegeta.NewStaticTargeter(targets...), benchkit.NewTransport(), nil)
	return s.Write(os.Stdout)
}

// sealOnce seals one request per client, to be replayed for the whole
// attack.
func sealOnce(a benchkit.Attack) ([]vegeta.Target, error) {
	clients, err := benchkit.Clients(a.Clients)
	if err != nil {
		return nil, err
	}
	payload, err := benchkit.Payload(a.Payload)
	if err != nil {
		return nil, err
	}
	targets := make([]vegeta.Target, len(clients))
	for i, c := range clients {
		var r envelope.Request
		if err := c.Codec.SealRequest(&r, c.Cred, payload); err != nil {
			return nil, fmt.Errorf("sealing: %w", err)
		}
		h := http.Header{}
		envelope.SetHeaders(h, c.Cred.PassKey, string(r.HeaderSecrets))
		targets[i] = vegeta.Target{Method: http.MethodPost, URL: a.URL, Body: r.Body, Header: h}
	}
	return targets, nil
}

// Command server is the load benchmark's target, run in its own process
// so that an attacker's CPU time never includes the server's. It serves
// either the mock gateway (every check of PROTOCOL.md section 6, the
// answer sealed) or a plain net/http JSON handler that decodes the body
// and answers a small JSON, and counts its answers by status class.
//
// Once listening it prints, one per line: "stats URL" (where GET returns
// the counts as JSON), the export lines of `gwcert mock` (base URL and,
// for the profile's clients, their public test credentials), and
// "ready".
// It stops on SIGINT or SIGTERM.
//
// Usage:
//
//	server [-mode mock|plain] [-clients 0] [-record]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

type config struct {
	mode    string // "mock" or "plain"
	clients int    // 0: the bundled profile's clients; n: n generated
	record  bool   // keep the mock's recorder on, as `gwcert mock` has it
	addr    string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.StringVar(&cfg.mode, "mode", "mock", "what to serve: mock or plain")
	fs.IntVar(&cfg.clients, "clients", 0,
		"generated clients the mock knows; 0: the bundled profile's two")
	fs.BoolVar(&cfg.record, "record", false,
		"keep the mock's exchange recorder on (gwcert mock's default)")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "`HOST:PORT` to serve on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	h, err := handler(cfg)
	if err != nil {
		return err
	}
	return serve(ctx, cfg.addr, benchkit.NewCounter(h), out)
}

// handler builds what the server serves.
func handler(cfg config) (http.Handler, error) {
	switch cfg.mode {
	case "plain":
		return http.HandlerFunc(plain), nil
	case "mock":
		return mock(cfg)
	}
	return nil, fmt.Errorf("-mode %q: want mock or plain", cfg.mode)
}

// mock builds the gateway: the bundled profile with its clients, or with
// generated clients instead. Nothing is logged.
func mock(cfg config) (http.Handler, error) {
	gc, err := mockgateway.FromProfile(profiles.Default(), profiles.MockCredentials)
	if err != nil {
		return nil, err
	}
	if cfg.clients != 0 {
		if gc.Clients, err = benchkit.Generated(cfg.clients); err != nil {
			return nil, fmt.Errorf("-clients: %w", err)
		}
	}
	if !cfg.record {
		gc.RecorderLimit = mockgateway.RecorderOff
	}
	return mockgateway.New(gc)
}

// plainAnswer is the plain handler's answer, about the size of the
// mock's sealed answer to the default payload.
var plainAnswer = []byte(`{"status":"SUCCESS","statusCode":200,"reference":"PAY-000001"}`)

// plain decodes the JSON body and answers a small JSON: the work of an
// ordinary JSON API without the protocol's cryptography.
func plain(w http.ResponseWriter, r *http.Request) {
	var body struct{ RequestData string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.RequestData == "" {
		http.Error(w, `{"status":"FAILURE","statusDesc":"invalid request body"}`,
			http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(plainAnswer) // a lost answer shows as an error at the attacker
}

// serve serves h and, on a second listener, the counts, until ctx ends.
func serve(ctx context.Context, addr string, c *benchkit.Counter, out io.Writer) error {
	srv, err := mockgateway.Serve(ctx, addr, c, mockgateway.ServeOptions{})
	if err != nil {
		return err
	}
	stats, err := mockgateway.Serve(ctx, "127.0.0.1:0", c.StatsHandler(), mockgateway.ServeOptions{})
	if err != nil {
		srv.Close()
		return err
	}
	fmt.Fprintf(out, "stats %s/stats\n", stats.URL)
	fmt.Fprint(out, exportLines(srv.URL))
	fmt.Fprintln(out, "ready")
	<-ctx.Done()
	return errors.Join(srv.Close(), stats.Close())
}

// exportLines returns the lines `gwcert mock` prints: the base URL, the
// scheme and the public test credentials of the bundled profile's
// clients. Attackers speaking as generated clients ignore the latter.
func exportLines(url string) string {
	p := profiles.Default()
	var b strings.Builder
	fmt.Fprintf(&b, "export GWCERT_BASE_URL=%s\n", url)
	fmt.Fprintf(&b, "export GWCERT_SCHEME=%s\n", p.Scheme)
	for _, name := range []string{profiles.Primary, profiles.Peer} {
		c, ref := profiles.MockCredentials[name], p.Clients[name]
		fmt.Fprintf(&b, "export %s=%s\n", ref.PassKeyEnv, c.PassKey)
		fmt.Fprintf(&b, "export %s=%s\n", ref.ClientIDEnv, c.ClientID)
		fmt.Fprintf(&b, "export %s=%s\n", ref.ClientSecretEnv, c.ClientSecret)
		fmt.Fprintf(&b, "export %s=%s\n", ref.KeyEnv, c.Key)
	}
	return b.String()
}

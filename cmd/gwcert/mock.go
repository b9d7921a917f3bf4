package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// defaultMockAddr is where `gwcert mock` listens unless told otherwise.
const defaultMockAddr = "127.0.0.1:8080"

func runMock(ctx context.Context, args []string, std stdio) error {
	var profilePath, addr string
	var faults mockgateway.Faults
	var quiet bool
	var bodyTimeout time.Duration
	var envFile string
	fs := newFlagSet("mock", "[--profile FILE] [--addr HOST:PORT]", std.out)
	fs.StringVar(&profilePath, "profile", "", "profile `FILE` whose routes and settings to serve (default: the bundled mock's)")
	fs.StringVar(&addr, "addr", defaultMockAddr, "`HOST:PORT` to listen on; port 0 picks a free one")
	fs.DurationVar(&faults.Latency, "latency", 0, "added to every answer, e.g. 20ms")
	fs.Float64Var(&faults.ErrorShare, "error-share", 0, "share of calls, 0 to 1, answered 503")
	fs.Float64Var(&faults.DropShare, "drop-share", 0, "share of calls, 0 to 1, whose connection is dropped")
	fs.DurationVar(&bodyTimeout, "body-timeout", mockgateway.DefaultBodyReadTimeout,
		"longest wait for a whole request; a body that never ends is refused after it")
	fs.BoolVar(&quiet, "quiet", false, "log nothing on stderr")
	fs.StringVar(&envFile, "env-file", "", "also write the export lines to `FILE`, for another shell to source")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p := profiles.Default()
	if profilePath != "" {
		var err error
		if p, err = profiles.Load(profilePath); err != nil {
			return usagef("mock: %v", err)
		}
	}
	cfg, err := mockgateway.FromProfile(p, profiles.MockCredentials)
	if err != nil {
		return usagef("mock: %v", err)
	}
	cfg.Faults, cfg.BodyReadTimeout = faults, bodyTimeout
	if !quiet {
		cfg.Logger = slog.New(slog.NewTextHandler(std.err, nil))
	}
	g, err := mockgateway.New(cfg)
	if err != nil {
		return usagef("mock: %v", err)
	}
	srv, err := g.Start(ctx, addr)
	if err != nil {
		return fmt.Errorf("mock: %w", err)
	}
	env := mockEnv(srv.URL, p)
	fmt.Fprint(std.out, env)
	if envFile != "" {
		if err := os.WriteFile(envFile, []byte(env), 0o600); err != nil {
			srv.Close()
			return fmt.Errorf("mock: %w", err)
		}
		defer os.Remove(envFile)
	}
	<-ctx.Done() // SIGINT or SIGTERM
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("mock: stopping: %w", err)
	}
	fmt.Fprintln(std.err, "gwcert mock: stopped")
	return nil
}

// mockEnv returns the base URL and the public test credentials as lines
// a shell can source.
func mockEnv(url string, p *profiles.Profile) string {
	var b strings.Builder
	b.WriteString("# gwcert mock gateway; public, test-only credentials (never use them elsewhere)\n")
	fmt.Fprintf(&b, "export GWCERT_BASE_URL=%s\n", url)
	fmt.Fprintf(&b, "export GWCERT_SCHEME=%s\n", p.Scheme)
	for _, name := range []string{profiles.Primary, profiles.Peer} {
		c, ok := profiles.MockCredentials[name]
		ref, refOK := p.Clients[name]
		if !ok || !refOK {
			continue
		}
		fmt.Fprintf(&b, "export %s=%s\n", ref.PassKeyEnv, c.PassKey)
		fmt.Fprintf(&b, "export %s=%s\n", ref.ClientIDEnv, c.ClientID)
		fmt.Fprintf(&b, "export %s=%s\n", ref.ClientSecretEnv, c.ClientSecret)
		fmt.Fprintf(&b, "export %s=%s\n", ref.KeyEnv, c.Key)
	}
	return b.String()
}

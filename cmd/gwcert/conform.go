package main

import (
	"context"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/suites/gateway"
	"github.com/gwcert/gwcert/suites/suiterun"
)

func runConform(ctx context.Context, args []string, std stdio) error {
	var cfg gateway.Config
	var sf suiteFlags
	fs := newFlagSet("conform", "[--profile FILE] [--target URL] [--strict] [--expect-fail FILE] "+
		"[--report-dir DIR]", std.out)
	cfg.RegisterFlags(fs, "")
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := cfg.LoadProfile()
	if err != nil {
		return usagef("conform: %v", err)
	}
	expected, err := gateway.LoadExpectedFailures(cfg.ExpectFail)
	if err != nil {
		return usagef("conform: %v", err)
	}
	if err := gateway.Preflight(cfg, p, lookupEnv); err != nil {
		return usagef("conform: %v", err)
	}
	gateway.Declare(gateway.Options{Config: cfg, Profile: p, Expected: expected, Lookup: lookupEnv})
	target := cfg.Target
	if target == "" {
		target = p.Target
	}
	if target == "" {
		target = "bundled mock (in-process)"
	}
	opts := suiterun.Options{Suite: "gateway", Target: target, Profile: p.Name, Version: buildinfo.Version(),
		ExpectedFailures: expected}
	return runSuite(std, opts, sf)
}

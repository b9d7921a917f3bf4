package main

import (
	"context"

	"github.com/gwcert/gwcert/internal/adaptersrv"
)

// runAdapter serves gwcert's Go codec behind the crypto-adapter contract
// of DESIGN.md on stdin and stdout, until stdin closes.
func runAdapter(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("adapter", "< requests.jsonl", std.out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return adaptersrv.Serve(std.in, std.out)
}

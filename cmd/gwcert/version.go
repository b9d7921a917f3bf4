package main

import (
	"context"
	"fmt"

	"github.com/gwcert/gwcert/internal/buildinfo"
)

func runVersion(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("version", "", std.out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(std.out, "gwcert", buildinfo.Version())
	return nil
}

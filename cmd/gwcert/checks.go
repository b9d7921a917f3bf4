package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gwcert/gwcert/suites/checks"
)

func runChecks(ctx context.Context, args []string, std stdio) error {
	var markdown bool
	fs := newFlagSet("checks", "[--markdown]", std.out)
	fs.BoolVar(&markdown, "markdown", false, "print the catalogue as the README's Markdown table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if markdown {
		return writeChecksMarkdown(std.out)
	}
	for _, d := range checks.Sorted() {
		fmt.Fprintf(std.out, "%-7s §%-6s %-6s %s\n", d.ID, d.Section, d.Level, d.Title)
		fmt.Fprintf(std.out, "        %s\n", d.Requirement)
	}
	return nil
}

// writeChecksMarkdown prints the check catalogue as a Markdown table; the
// README's catalogue is this output, kept in step by a test.
func writeChecksMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| id | section | level | what it proves |\n| --- | --- | --- | --- |\n")
	for _, d := range checks.Sorted() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", d.ID, d.Section, d.Level, strings.ReplaceAll(d.Requirement, "|", "\\|"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
